using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;

namespace Prepay.Ledger.Transactions;

/// <summary>
/// One movement of money: <see cref="Amount"/> leaves <see cref="From"/> (a debit) and arrives in <see cref="To"/>
/// (a credit). Each posting balances by itself, so a transaction made of postings always sums to zero.
/// </summary>
public readonly record struct Posting
{
    public Posting(AccountCode from, AccountCode to, Money amount)
    {
        if (!amount.IsPositive)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A posting moves a positive amount.");
        }
        if (from.Value == to.Value)
        {
            throw new ArgumentException($"A posting cannot move money from {from} to itself.", nameof(to));
        }
        if (from.Currency != amount.Currency.Code || to.Currency != amount.Currency.Code)
        {
            throw new ArgumentException($"Posting of {amount} between {from} and {to}: currencies differ.", nameof(amount));
        }
        From = from;
        To = to;
        Amount = amount;
    }

    public AccountCode From { get; }
    public AccountCode To { get; }
    public Money Amount { get; }

    /// <summary>The same movement undone: what a reversal posts.</summary>
    public Posting Reversed() => new(To, From, Amount);
}
