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
/// A customer's debt, both ways, by two people: a load onto the debt account (at most
/// <see cref="ApprovalOptions.DebtLoadCap"/> at once, and a customer owing at most <see cref="ApprovalOptions.DebtCustomerCap"/>
/// with what is pending), recovered from purchases; and a write-off of debt that will not be repaid, posted to the
/// write-off account (<see cref="AccountCode.DebtWriteOff"/>), never more than is owed.
/// </summary>
public sealed class DebtApprovals(IServiceScopeFactory scopes, MoneyApprovals approvals, ApprovalOptions options)
{
    internal sealed record Payload(Guid CustomerId);

    public Task<ApprovalOutcome> RequestLoadAsync(Guid customerId, string? amountText, string? currencyCode, string? reason, Actor requester, CancellationToken ct) =>
        RequestAsync(ApprovalKind.DebtLoad, customerId, amountText, currencyCode, reason, requester, ct);

    public Task<ApprovalOutcome> RequestWriteOffAsync(Guid customerId, string? amountText, string? currencyCode, string? reason, Actor requester, CancellationToken ct) =>
        RequestAsync(ApprovalKind.DebtWriteOff, customerId, amountText, currencyCode, reason, requester, ct);

    private async Task<ApprovalOutcome> RequestAsync(ApprovalKind kind, Guid customerId, string? amountText, string? currencyCode, string? reason, Actor requester, CancellationToken ct)
    {
        if (!Currency.TryFromCode(currencyCode, out var currency))
        {
            return new ApprovalOutcome.Invalid("currency", "must be a supported ISO 4217 code");
        }
        var parsed = Money.TryParse(amountText, currency);
        if (!parsed.Success || !parsed.Value.IsPositive)
        {
            return new ApprovalOutcome.Invalid("amount", parsed.Success ? "must be greater than zero" : parsed.Error!);
        }
        if (MoneyApprovals.ReasonProblem(reason) is { } problem)
        {
            return new ApprovalOutcome.Invalid("reason", problem);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return new ApprovalOutcome.NotFound($"No customer {customerId}.");
        }
        var amount = parsed.Value;
        var target = $"customer/{customerId}";
        var pending = new Money(await db.MoneyApprovals.Where(a => a.Kind == kind && a.Target == target && a.State == ApprovalState.Requested && a.Currency == currency.Code)
            .SumAsync(a => a.AmountMinor, ct), currency);
        var refusal = kind == ApprovalKind.DebtLoad
            ? LoadRefusal(options, amount, await OwedAsync(db, customerId, currency, ct) + pending)
            : WriteOffRefusal(amount + pending, await OwedAsync(db, customerId, currency, ct));
        if (refusal is not null)
        {
            return new ApprovalOutcome.OverLimit(refusal.Code, refusal.Detail);
        }
        var approval = approvals.Request(db, kind, target, new Payload(customerId), amount, reason!, requester);
        await db.QueuedAsync(() => db.SaveChangesAsync(ct), ct);
        return new ApprovalOutcome.Requested(ApprovalView.Of(approval));
    }

    private static Execution.Refused? LoadRefusal(ApprovalOptions options, Money amount, Money owedAndPending)
    {
        var cap = ApprovalOptions.Whole(options.DebtLoadCap, amount.Currency);
        var customerCap = ApprovalOptions.Whole(options.DebtCustomerCap, amount.Currency);
        return amount > cap ? new Execution.Refused("over-debt-load-cap", $"A debt load is at most {cap} (Vending:Approvals:DebtLoadCap).")
            : owedAndPending + amount > customerCap ? new Execution.Refused("over-customer-debt-cap",
                $"The customer would owe {owedAndPending + amount} with the loads pending; at most {customerCap} (Vending:Approvals:DebtCustomerCap).")
            : null;
    }

    private static Execution.Refused? WriteOffRefusal(Money amount, Money owed) =>
        amount > owed ? new Execution.Refused("more-than-owed", $"The customer owes {owed} (less what write-offs pending cover); a write-off cannot be more.") : null;

    private static async Task<Money> OwedAsync(PrepayDb db, Guid customerId, Currency currency, CancellationToken ct) =>
        new(Math.Max(0, -await LedgerStore.BalanceAsync(db, AccountCode.CustomerDebt(customerId, currency.Code), ct)), currency);

    /// <summary>The approval side of a load.</summary>
    public sealed class Load(ApprovalOptions options, LedgerStore ledger) : IApprovalExecutor
    {
        public ApprovalKind Kind => ApprovalKind.DebtLoad;

        public Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct) =>
            ledger.EnsureAsync(db, [AccountCode.CustomerDebt(MoneyApprovals.Payload<Payload>(approval).CustomerId, approval.Currency), AccountCode.External(approval.Currency)], ct);

        public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
        {
            var customerId = MoneyApprovals.Payload<Payload>(approval).CustomerId;
            var currency = Currency.FromCode(approval.Currency);
            var amount = new Money(approval.AmountMinor, currency);
            if (LoadRefusal(options, amount, await OwedAsync(db, customerId, currency, ct)) is { } refused)
            {
                return refused;
            }
            var id = Guid.CreateVersion7(now.ToDateTimeOffset());
            await ledger.AddAsync(db, new LedgerTransaction.Builder(id, TransactionKind.DebtLoaded, $"debt loaded: {approval.Reason}")
                .Move(AccountCode.CustomerDebt(customerId, currency.Code), AccountCode.External(currency.Code), amount).Build(), now, $"approval {approval.Id:N}", ct);
            return new Execution.Done($"transaction {id}");
        }
    }

    /// <summary>The approval side of a write-off.</summary>
    public sealed class WriteOff(LedgerStore ledger) : IApprovalExecutor
    {
        public ApprovalKind Kind => ApprovalKind.DebtWriteOff;

        public Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct) =>
            ledger.EnsureAsync(db, [AccountCode.CustomerDebt(MoneyApprovals.Payload<Payload>(approval).CustomerId, approval.Currency), AccountCode.DebtWriteOff(approval.Currency)], ct);

        public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
        {
            var customerId = MoneyApprovals.Payload<Payload>(approval).CustomerId;
            var currency = Currency.FromCode(approval.Currency);
            var amount = new Money(approval.AmountMinor, currency);
            // Owed now, not when asked: purchases may have recovered part of it since.
            if (WriteOffRefusal(amount, await OwedAsync(db, customerId, currency, ct)) is { } refused)
            {
                return refused;
            }
            var id = Guid.CreateVersion7(now.ToDateTimeOffset());
            await ledger.AddAsync(db, new LedgerTransaction.Builder(id, TransactionKind.DebtWrittenOff, $"debt written off: {approval.Reason}")
                .Move(AccountCode.DebtWriteOff(currency.Code), AccountCode.CustomerDebt(customerId, currency.Code), amount).Build(), now, $"approval {approval.Id:N}", ct);
            return new Execution.Done($"transaction {id}");
        }
    }
}
