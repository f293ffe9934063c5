using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Payments;

namespace Prepay.Reports.Reconciliation;

/// <summary>
/// Ties a period's records together (issue 17, item 4): each vend to its ledger transaction and the float it drew on,
/// each vend transaction in the ledger to its vend, float deposits to their references, online payments to their
/// vends, smart meters' vends to the credit the meters acknowledged, and each float's balance to its postings. Every
/// record that does not tie is a <see cref="ReconciliationDifference"/> with its cause; nothing is written. A record
/// still within its grace (a payment decided in the last <see cref="PaymentGrace"/>, a credit command younger than
/// <see cref="RegistrationGrace"/>) is not yet a difference.
/// </summary>
public sealed class PeriodReconciliation(IServiceScopeFactory scopes, IClock clock)
{
    public static readonly Duration PaymentGrace = Duration.FromMinutes(10);
    public static readonly Duration RegistrationGrace = Duration.FromDays(1);

    public async Task<ReconciliationReport> RunAsync(Interval period, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var asOf = clock.GetCurrentInstant();
        var (start, end) = (period.Start, period.End);
        var differences = new List<ReconciliationDifference>();

        // Vends and their ledger transactions, both ways.
        var vends = await db.Vends.AsNoTracking().Where(v => v.At >= start && v.At < end)
            .Select(v => new { v.Id, v.At, v.AmountMinor, v.Currency, v.TransactionId, v.MeterId, v.MeterNumber }).ToListAsync(ct);
        var floatAccounts = await db.Accounts.AsNoTracking().Where(a => a.Kind == AccountKind.VendorFloat).Select(a => a.Id).ToListAsync(ct);
        var vendTransactions = await db.LedgerTransactions.AsNoTracking().Where(t => t.Kind == TransactionKind.Vend && t.At >= start && t.At < end)
            .Select(t => new { t.Id, t.At }).ToListAsync(ct);
        var transactionIds = vends.Select(v => v.TransactionId).Concat(vendTransactions.Select(t => t.Id)).Distinct().ToList();
        var floatDrawn = (await db.Postings.AsNoTracking().Where(p => transactionIds.Contains(p.TransactionId) && floatAccounts.Contains(p.DebitAccountId))
            .Select(p => new { p.TransactionId, p.Amount }).ToListAsync(ct)).GroupBy(p => p.TransactionId).ToDictionary(g => g.Key, g => g.Sum(p => p.Amount));
        var known = (await db.LedgerTransactions.AsNoTracking().Where(t => transactionIds.Contains(t.Id)).Select(t => t.Id).ToListAsync(ct)).ToHashSet();
        foreach (var v in vends.OrderBy(v => v.At))
        {
            if (!known.Contains(v.TransactionId))
            {
                differences.Add(new(Causes.VendWithoutLedger, v.Id.ToString(), v.AmountMinor, v.Currency, v.At, $"vend {v.Id} to {v.MeterNumber} has no ledger transaction ({v.TransactionId})"));
            }
            else if (v.AmountMinor > 0 && floatDrawn.GetValueOrDefault(v.TransactionId) != v.AmountMinor)
            {
                differences.Add(new(Causes.VendLedgerAmount, v.Id.ToString(), v.AmountMinor, v.Currency, v.At,
                    $"vend {v.Id} sold {v.AmountMinor} and its transaction took {floatDrawn.GetValueOrDefault(v.TransactionId)} from the float"));
            }
        }
        var vended = vends.Select(v => v.TransactionId).ToHashSet();
        var allVended = (await db.Vends.AsNoTracking().Where(v => vendTransactions.Select(t => t.Id).Contains(v.TransactionId)).Select(v => v.TransactionId).ToListAsync(ct)).ToHashSet();
        foreach (var t in vendTransactions.Where(t => !vended.Contains(t.Id) && !allVended.Contains(t.Id)).OrderBy(t => t.At))
        {
            differences.Add(new(Causes.LedgerWithoutVend, t.Id.ToString(), floatDrawn.GetValueOrDefault(t.Id), null, t.At, $"ledger transaction {t.Id} is a vend with no vend"));
        }

        // Float deposits: a reference once per float, however often it was approved.
        var deposits = await (from t in db.LedgerTransactions.AsNoTracking()
                              join p in db.Postings.AsNoTracking() on t.Id equals p.TransactionId
                              where t.Kind == TransactionKind.FloatDeposit && t.At < end
                              select new { t.Id, t.At, t.Reference, Float = p.CreditAccountId, p.Amount, p.Currency }).ToListAsync(ct);
        foreach (var group in deposits.Where(d => d.Reference is not null).GroupBy(d => (d.Float, d.Reference)))
        {
            foreach (var again in group.OrderBy(d => d.At).ThenBy(d => d.Id).Skip(1).Where(d => d.At >= start))
            {
                differences.Add(new(Causes.DepositRecordedTwice, again.Reference!, again.Amount, again.Currency, again.At,
                    $"deposit reference {again.Reference} credited to the same float {group.Count()} times (transaction {again.Id})"));
            }
        }

        // Online payments against their vends.
        var payments = await db.PaymentSessions.AsNoTracking()
            .Where(p => p.DecidedAt >= start && p.DecidedAt < end && (p.Status == PaymentStatus.Approved || p.Status == PaymentStatus.VendFailed || p.Status == PaymentStatus.Vended))
            .Select(p => new { p.Id, p.Status, p.AmountMinor, p.Currency, p.DecidedAt, p.VendId, p.ProviderPaymentId }).ToListAsync(ct);
        var paidVends = payments.Where(p => p.VendId is not null).Select(p => p.VendId!.Value).ToList();
        var present = (await db.Vends.AsNoTracking().Where(v => paidVends.Contains(v.Id)).Select(v => v.Id).ToListAsync(ct)).ToHashSet();
        foreach (var p in payments.OrderBy(p => p.DecidedAt))
        {
            if (p.VendId is null && asOf - p.DecidedAt!.Value >= PaymentGrace)
            {
                differences.Add(new(Causes.PaymentNotVended, p.Id.ToString(), p.AmountMinor, p.Currency, p.DecidedAt.Value,
                    $"payment {p.ProviderPaymentId ?? p.Id.ToString()} taken ({p.Status}) and never vended nor refunded"));
            }
            else if (p.VendId is { } vend && !present.Contains(vend))
            {
                differences.Add(new(Causes.PaymentVendMissing, p.Id.ToString(), p.AmountMinor, p.Currency, p.DecidedAt!.Value, $"payment {p.Id} names vend {vend}, which is not there"));
            }
        }

        // Smart meters' credit: a vend's credit command the meter acknowledged, unless the vend was reversed.
        var vendIds = vends.Select(v => v.Id).ToList();
        var reversed = (await db.VendReversals.AsNoTracking().Where(r => vendIds.Contains(r.VendId)).Select(r => r.VendId).ToListAsync(ct)).ToHashSet();
        var commands = (await db.MeterCommands.AsNoTracking()
                .Where(c => (c.Type == CommandTypes.AddCredit || c.Type == CommandTypes.DeliverToken) && c.CreatedAt >= start && c.CreatedAt < end && c.Reference != null)
                .Select(c => new { c.Id, c.Reference, c.State, c.CreatedAt, c.MeterNumber, c.Outcome }).ToListAsync(ct))
            .Select(c => (Command: c, Vend: CreditCommandReference.VendOf(c.Reference))).Where(c => c.Vend is not null).ToList();
        var byVend = vends.ToDictionary(v => v.Id);
        var registered = 0;
        foreach (var (c, vend) in commands.OrderBy(c => c.Command.CreatedAt))
        {
            if (c.State == CommandState.Acknowledged)
            {
                registered++;
                continue;
            }
            var open = c.State is CommandState.Queued or CommandState.Sent;
            if (reversed.Contains(vend!.Value) || (open && asOf - c.CreatedAt < RegistrationGrace))
            {
                continue;
            }
            var v = byVend.GetValueOrDefault(vend.Value);
            differences.Add(new(Causes.CreditNotRegistered, vend.Value.ToString(), v?.AmountMinor, v?.Currency, c.CreatedAt,
                $"vend {vend}'s credit to {c.MeterNumber} was never acknowledged by the meter (command {c.Id}: {c.State.ToString().ToLowerInvariant()}{(c.Outcome is null ? "" : ", " + c.Outcome)})"));
        }

        // Each float's balance against its postings, at the report's running.
        var balances = await db.Accounts.AsNoTracking().Where(a => a.Kind == AccountKind.VendorFloat).Select(a => new { a.Id, a.Code, a.Balance, a.Currency }).ToListAsync(ct);
        var credited = await db.Postings.AsNoTracking().Where(p => floatAccounts.Contains(p.CreditAccountId)).GroupBy(p => p.CreditAccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        var debited = await db.Postings.AsNoTracking().Where(p => floatAccounts.Contains(p.DebitAccountId)).GroupBy(p => p.DebitAccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        foreach (var a in balances.OrderBy(a => a.Code, StringComparer.Ordinal))
        {
            var sum = credited.GetValueOrDefault(a.Id) - debited.GetValueOrDefault(a.Id);
            if (sum != a.Balance)
            {
                differences.Add(new(Causes.FloatBalanceDiffers, a.Code, a.Balance - sum, a.Currency, asOf, $"{a.Code} holds {a.Balance}, its postings add up to {sum}"));
            }
        }

        var inPeriod = deposits.Where(d => d.At >= start).ToList();
        var taken = payments.ToList();
        var totals = new ReconciliationTotals(
            vends.Count, vends.Sum(v => v.AmountMinor), vendTransactions.Sum(t => floatDrawn.GetValueOrDefault(t.Id)), inPeriod.Count, inPeriod.Sum(d => d.Amount),
            taken.Count, taken.Sum(p => p.AmountMinor), commands.Count, registered);
        var order = Causes.All.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        return new ReconciliationReport(start, end, asOf, totals, [.. differences.OrderBy(d => order[d.Cause]).ThenBy(d => d.At).ThenBy(d => d.Reference, StringComparer.Ordinal)]);
    }
}
