using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Approvals;
using Prepay.Vending;
using Prepay.Vending.Approvals;

namespace Prepay.Catalog.Imports;

/// <summary>
/// Customers' opening credit and arrears from an installations file. An import moves no money: money that moves outside
/// a sale needs a second person, so each customer's opening balance becomes one request through
/// <see cref="MoneyApprovals"/>, recorded in the import's own transaction, and a second administrator approving it
/// posts the ledger transaction (<see cref="Executor"/>). A customer's opening balance is asked for once
/// (<see cref="Target"/>): a file that gives the same amounts again changes nothing, other amounts are a problem.
/// A rejected or expired request may be asked for again.
/// </summary>
internal sealed class OpeningBalances
{
    internal sealed record Payload(Guid CustomerId, long CreditMinor, long ArrearsMinor);

    // Requested or approved requests, by target: what a customer's opening balance already is.
    private readonly Dictionary<string, (string Currency, Payload Payload)> _asked;

    private OpeningBalances(Dictionary<string, (string, Payload)> asked) => _asked = asked;

    /// <summary>The request's target: one per customer, whatever the currency.</summary>
    public static string Target(Guid customerId) => $"opening-balance:{customerId}";

    public static async Task<OpeningBalances> LoadAsync(PrepayDb db, IEnumerable<Guid> customerIds, CancellationToken ct)
    {
        var targets = customerIds.Select(Target).ToList();
        var rows = targets.Count == 0 ? [] : await db.MoneyApprovals.AsNoTracking()
            .Where(a => a.Kind == ApprovalKind.OpeningBalance && targets.Contains(a.Target) && (a.State == ApprovalState.Requested || a.State == ApprovalState.Approved))
            .ToListAsync(ct);
        return new(rows.GroupBy(a => a.Target).ToDictionary(g => g.Key, g => (g.First().Currency, MoneyApprovals.Payload<Payload>(g.First())), StringComparer.Ordinal));
    }

    /// <summary>
    /// The row's opening balance for the unit's customer: nothing to do (none given, or the same asked already), a
    /// problem (another balance asked already, or nobody who may ask), or a request added to <paramref name="db"/>
    /// (not on a dry run). True when a request is, or would be, made.
    /// </summary>
    public bool Plan(PrepayDb db, MoneyApprovals approvals, InstallationRow row, Guid customerId, Actor actor, bool dryRun, Action<string, string> bad)
    {
        if (!row.HasOpeningBalance)
        {
            return false;
        }
        var target = Target(customerId);
        var payload = new Payload(customerId, row.OpeningCredit.Minor, row.OpeningArrears.Minor);
        if (_asked.TryGetValue(target, out var asked))
        {
            if (asked.Currency != row.Currency.Code || asked.Payload != payload)
            {
                var was = Currency.FromCode(asked.Currency);
                bad(asked.Payload.CreditMinor != payload.CreditMinor || asked.Currency != row.Currency.Code ? "opening_credit" : "opening_arrears",
                    $"the customer's opening balance was asked for already (credit {new Money(asked.Payload.CreditMinor, was)}, arrears {new Money(asked.Payload.ArrearsMinor, was)}); it is set once");
            }
            return false;
        }
        if (actor.AuditId is null)
        {
            bad(row.OpeningCredit.IsPositive ? "opening_credit" : "opening_arrears", "an opening balance is asked for by a person or key, who cannot then approve it");
            return false;
        }
        _asked[target] = (row.Currency.Code, payload);
        if (!dryRun)
        {
            approvals.Request(db, ApprovalKind.OpeningBalance, target, payload, row.OpeningCredit + row.OpeningArrears,
                $"opening balance from a catalog import (line {row.Line}): credit {row.OpeningCredit}, arrears {row.OpeningArrears}", actor);
        }
        return true;
    }

    /// <summary>
    /// The approval side: one balanced transaction, the credit from outside onto the customer's credit account and the
    /// arrears onto their debt account (owed, as a debt load is), never twice for one customer.
    /// </summary>
    public sealed class Executor(LedgerStore ledger) : IApprovalExecutor
    {
        public ApprovalKind Kind => ApprovalKind.OpeningBalance;

        public Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct)
        {
            var customerId = MoneyApprovals.Payload<Payload>(approval).CustomerId;
            return ledger.EnsureAsync(db, [AccountCode.CustomerCredit(customerId, approval.Currency), AccountCode.CustomerDebt(customerId, approval.Currency), AccountCode.External(approval.Currency)], ct);
        }

        public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
        {
            var p = MoneyApprovals.Payload<Payload>(approval);
            // Two imports racing could each have asked; only the first approved moves money.
            if (await db.MoneyApprovals.AnyAsync(a => a.Kind == ApprovalKind.OpeningBalance && a.Target == approval.Target && a.State == ApprovalState.Approved && a.Id != approval.Id, ct))
            {
                return new Execution.Refused("opening-balance-set", "This customer's opening balance was approved already; nothing moved.");
            }
            var currency = Currency.FromCode(approval.Currency);
            var id = Guid.CreateVersion7(now.ToDateTimeOffset());
            var builder = new LedgerTransaction.Builder(id, TransactionKind.OpeningBalance, "opening balance");
            if (p.CreditMinor > 0)
            {
                builder.Move(AccountCode.External(currency.Code), AccountCode.CustomerCredit(p.CustomerId, currency.Code), new Money(p.CreditMinor, currency));
            }
            if (p.ArrearsMinor > 0)
            {
                builder.Move(AccountCode.CustomerDebt(p.CustomerId, currency.Code), AccountCode.External(currency.Code), new Money(p.ArrearsMinor, currency));
            }
            await ledger.AddAsync(db, builder.Build(), now, $"approval {approval.Id:N}", ct);
            return new Execution.Done($"transaction {id}");
        }
    }
}
