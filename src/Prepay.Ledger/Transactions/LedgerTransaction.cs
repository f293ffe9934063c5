using System.Collections.Immutable;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;

namespace Prepay.Ledger.Transactions;

/// <summary>
/// A balanced set of postings written at once, or not at all. Built with <see cref="Builder"/>, which drops
/// zero amounts and merges nothing, so the stored postings read as the receipt does.
/// </summary>
public sealed record LedgerTransaction(Guid Id, TransactionKind Kind, string Description, ImmutableArray<Posting> Postings)
{
    /// <summary>Net change per account: credits minus debits. Sums to zero over all accounts, per currency.</summary>
    public IReadOnlyDictionary<string, long> NetByAccount()
    {
        var net = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var p in Postings)
        {
            net[p.From.Value] = checked(net.GetValueOrDefault(p.From.Value) - p.Amount.Minor);
            net[p.To.Value] = checked(net.GetValueOrDefault(p.To.Value) + p.Amount.Minor);
        }
        return net;
    }

    /// <summary>The transaction that undoes this one, posting for posting.</summary>
    public LedgerTransaction Reversal(Guid id, string reason) =>
        new(id, TransactionKind.Reversal, reason, Postings.Select(p => p.Reversed()).ToImmutableArray());

    public sealed class Builder(Guid id, TransactionKind kind, string description)
    {
        private readonly ImmutableArray<Posting>.Builder _postings = ImmutableArray.CreateBuilder<Posting>();

        /// <summary>Adds a posting; a zero amount adds nothing (a purchase with no tax has no tax posting).</summary>
        public Builder Move(AccountCode from, AccountCode to, Money amount)
        {
            if (amount.IsNegative)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), amount, "Move a positive amount; swap the accounts instead.");
            }
            if (!amount.IsZero)
            {
                _postings.Add(new Posting(from, to, amount));
            }
            return this;
        }

        public LedgerTransaction Build()
        {
            if (_postings.Count == 0)
            {
                throw new InvalidOperationException("A ledger transaction needs at least one posting.");
            }
            return new LedgerTransaction(id, kind, description, _postings.ToImmutable());
        }
    }
}
