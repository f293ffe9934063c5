using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Approvals;

namespace Prepay.Vending.Approvals;

/// <summary>
/// Money paid into a vendor's float, asked for by one member of staff and approved by another, each deposit at most
/// <see cref="ApprovalOptions.DepositCap"/>. The float is what a vendor sells from, so a float that one person could
/// fill would be credit for sale that nobody paid for.
/// </summary>
public sealed class FloatDeposits(IServiceScopeFactory scopes, MoneyApprovals approvals, ApprovalOptions options, LedgerStore ledger) : IApprovalExecutor
{
    internal sealed record Payload(Guid VendorId, string VendorCode, string Reference);

    public ApprovalKind Kind => ApprovalKind.FloatDeposit;

    public async Task<ApprovalOutcome> RequestAsync(string vendorCode, string? amountText, string? reference, Actor requester, CancellationToken ct)
    {
        if (MoneyApprovals.ReasonProblem(reference) is { } problem)
        {
            return new ApprovalOutcome.Invalid("reference", problem + " (the bank or cash reference the approver checks)");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Code == vendorCode, ct);
        if (vendor is null)
        {
            return new ApprovalOutcome.NotFound($"No vendor '{vendorCode}'.");
        }
        var currency = Currency.FromCode(vendor.Currency);
        var parsed = Money.TryParse(amountText, currency);
        if (!parsed.Success || !parsed.Value.IsPositive)
        {
            return new ApprovalOutcome.Invalid("amount", parsed.Success ? "must be greater than zero" : parsed.Error!);
        }
        if (OverCap(parsed.Value) is { } over)
        {
            return over;
        }
        var approval = approvals.Request(db, Kind, $"vendor/{vendor.Id}", new Payload(vendor.Id, vendor.Code, reference!.Trim()), parsed.Value,
            $"float deposit to {vendor.Code}, ref {reference.Trim()}", requester);
        await db.QueuedAsync(() => db.SaveChangesAsync(ct), ct);
        return new ApprovalOutcome.Requested(ApprovalView.Of(approval));
    }

    public async Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct)
    {
        var p = MoneyApprovals.Payload<Payload>(approval);
        await ledger.EnsureAsync(db, [AccountCode.External(approval.Currency), AccountCode.VendorFloat(p.VendorId, approval.Currency)], ct);
    }

    public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
    {
        var p = MoneyApprovals.Payload<Payload>(approval);
        var amount = new Money(approval.AmountMinor, Currency.FromCode(approval.Currency));
        if (OverCap(amount) is ApprovalOutcome.OverLimit over)
        {
            return new Execution.Refused(over.Code, over.Detail);
        }
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await ledger.AddAsync(db, new LedgerTransaction.Builder(transactionId, TransactionKind.FloatDeposit, $"float deposit {p.Reference}")
            .Move(AccountCode.External(approval.Currency), AccountCode.VendorFloat(p.VendorId, approval.Currency), amount)
            .Build(), now, p.Reference, ct);
        return new Execution.Done($"transaction {transactionId}");
    }

    private ApprovalOutcome.OverLimit? OverCap(Money amount)
    {
        var cap = ApprovalOptions.Whole(options.DepositCap, amount.Currency);
        return amount > cap ? new ApprovalOutcome.OverLimit("over-deposit-cap", $"A float deposit is at most {cap}; split it, or raise Vending:Approvals:DepositCap.") : null;
    }
}
