using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records.Approvals;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Vending.Approvals;

/// <summary>
/// Credit an administrator gives a customer (after an outage, a wrong disconnection): a vend paid from the goodwill
/// float (<see cref="ApprovalOptions.GoodwillVendor"/>), never a reseller's, within a monthly budget counted over what
/// was approved this calendar month (UTC) and what waits, approved by a second person. The vend is made by the
/// approval, keyed by the request's id, and marks it approved in its own transaction: sold and approved, or neither.
/// </summary>
public sealed class GoodwillCredits(IServiceScopeFactory scopes, IClock clock, MoneyApprovals approvals, ApprovalOptions options, VendingService vending) : IApprovalCarrier
{
    internal sealed record Payload(string MeterNumber);

    public ApprovalKind Kind => ApprovalKind.GoodwillCredit;

    public async Task<ApprovalOutcome> RequestAsync(string meterNumber, string? amountText, string? reason, Actor requester, CancellationToken ct)
    {
        if (MoneyApprovals.ReasonProblem(reason) is { } problem || reason!.Trim().Length > VendCommand.MaxReferenceLength)
        {
            return new ApprovalOutcome.Invalid("reason", $"is required, at most {VendCommand.MaxReferenceLength} characters (it is the sale's payment reference)");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meter = await db.Meters.AsNoTracking().FirstOrDefaultAsync(m => m.MeterNumber == meterNumber, ct);
        if (meter is null)
        {
            return new ApprovalOutcome.NotFound($"No meter '{meterNumber}'.");
        }
        var currency = Currency.FromCode(meter.Currency);
        var parsed = Money.TryParse(amountText, currency);
        if (!parsed.Success || !parsed.Value.IsPositive)
        {
            return new ApprovalOutcome.Invalid("amount", parsed.Success ? "must be greater than zero" : parsed.Error!);
        }
        if (await OverBudgetAsync(db, parsed.Value, includePending: true, ct) is { } over)
        {
            return new ApprovalOutcome.OverLimit(over.Code, over.Detail);
        }
        var approval = approvals.Request(db, Kind, $"meter/{meterNumber}", new Payload(meterNumber), parsed.Value, reason, requester);
        await db.QueuedAsync(() => db.SaveChangesAsync(ct), ct);
        return new ApprovalOutcome.Requested(ApprovalView.Of(approval));
    }

    public async Task<Execution> ApproveAsync(MoneyApproval approval, Actor approver, Func<PrepayDb, string, CancellationToken, Task<bool>> markApproved, CancellationToken ct)
    {
        var amount = new Money(approval.AmountMinor, Currency.FromCode(approval.Currency));
        Guid vendorId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            if (await OverBudgetAsync(db, amount, includePending: false, ct) is { } over)
            {
                return over;
            }
            var vendor = await db.Vendors.AsNoTracking().Where(v => v.Code == options.GoodwillVendor).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
            if (vendor is null)
            {
                return new Execution.Refused("no-goodwill-float", $"There is no goodwill vendor '{options.GoodwillVendor}' (Vending:Approvals:GoodwillVendor) to pay from.");
            }
            vendorId = vendor.Value;
        }
        var meterNumber = MoneyApprovals.Payload<Payload>(approval).MeterNumber;
        var request = new VendRequest(meterNumber, null, null, amount.ToDecimalString(), amount.Currency.Code, "goodwill", approval.Reason);
        var (command, errors) = VendCommand.From($"goodwill-{approval.Id:N}", request, vending.MaxAmountMinor);
        if (command is null)
        {
            return new Execution.Refused("invalid-credit", string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}.")));
        }
        // The sale is the approver's, from the goodwill float; the approval is marked in the sale's transaction.
        var seller = new Actor(approver.KeyId, approver.Name, approver.Role, vendorId, null);
        var outcome = await vending.VendAsync(command, seller, ct, (db, vendId, c) => markApproved(db, $"vend {vendId}", c));
        return outcome switch
        {
            VendOutcome.Created c => new Execution.Done($"vend {c.Vend.Id}"),
            VendOutcome.Replayed r => new Execution.Refused("already-decided", $"vend {r.Vend.Id}"),
            VendOutcome.Conflict c => new Execution.Refused(c.Code == "insufficient-float" ? "goodwill-float-empty" : c.Code, c.Detail),
            VendOutcome.Unprocessable u => new Execution.Refused(u.Code, u.Detail),
            VendOutcome.NotFound n => new Execution.Refused("not-found", n.Detail),
            _ => new Execution.Refused("not-sold", outcome.ToString()),
        };
    }

    /// <summary>What goodwill this month has given (and, at request, what waits) plus this, against the budget.</summary>
    private async Task<Execution.Refused?> OverBudgetAsync(PrepayDb db, Money amount, bool includePending, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant().InUtc();
        var monthStart = new LocalDate(now.Year, now.Month, 1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();
        var code = amount.Currency.Code;
        var given = await db.MoneyApprovals.Where(a => a.Kind == ApprovalKind.GoodwillCredit && a.Currency == code
                && ((a.State == ApprovalState.Approved && a.DecidedAt >= monthStart) || (includePending && a.State == ApprovalState.Requested)))
            .SumAsync(a => a.AmountMinor, ct);
        var budget = ApprovalOptions.Whole(options.GoodwillMonthlyBudget, amount.Currency);
        var total = new Money(given, amount.Currency) + amount;
        return total > budget
            ? new Execution.Refused("over-goodwill-budget", $"Goodwill this month would come to {total} with what waits; the budget is {budget} (Vending:Approvals:GoodwillMonthlyBudget).")
            : null;
    }
}
