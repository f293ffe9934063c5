using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Approvals;
using Prepay.Storage.Records.Payments;
using Prepay.Vending;
using Prepay.Vending.Approvals;
using Prepay.Vending.Reversals;

namespace Prepay.Payments.Refunds;

/// <summary>
/// The approval side of a payment's refund, inside the approval's write transaction: the rules are checked again as
/// they stand now; the vend is reversed by the reversal's own postings (<see cref="ReversalService.AddRefundReversalAsync"/>),
/// which brings the paid amount back to the online vendor's float, the float it was sold from; the amount then moves
/// from that float to the provider's refunds-owed account (<see cref="AccountCode.RefundsOwed"/>), so the books show it
/// owed to the payer until the provider pays it; and the <c>payment_refunds</c> row is written, which the refund
/// dispatcher takes only once all of this has committed. A rejected or refused request writes none of it.
/// </summary>
public sealed class PaymentRefundApprovals(ReversalService reversals, LedgerStore ledger, IEnumerable<IRefundingProvider> providers) : IApprovalExecutor
{
    public ApprovalKind Kind => ApprovalKind.PaymentRefund;

    public async Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct)
    {
        var session = await SessionAsync(db, approval, ct);
        var vendorId = await db.Vends.AsNoTracking().Where(v => v.Id == session.VendId).Select(v => (Guid?)v.VendorId).FirstOrDefaultAsync(ct);
        if (vendorId is { } vendor)
        {
            await ledger.EnsureAsync(db, [AccountCode.VendorFloat(vendor, session.Currency), AccountCode.RefundsOwed(session.Provider, session.Currency), AccountCode.External(session.Currency)], ct);
        }
    }

    public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
    {
        var session = await SessionAsync(db, approval, ct);
        if (await RefundRequests.RefusalAsync(db, session, providers, ct, deciding: approval.Id) is { } refused)
        {
            return new Execution.Refused(refused.Code, refused.Detail);
        }
        var vend = await db.Vends.AsNoTracking().FirstAsync(v => v.Id == session.VendId, ct);
        var (notReversed, reversalId) = await reversals.AddRefundReversalAsync(db, vend, approval.Reason, approver, now, ct);
        if (notReversed is not null)
        {
            return notReversed is ReversalOutcome.Conflict c ? new Execution.Refused(c.Code, c.Detail) : new Execution.Refused("not-reversible", notReversed.ToString());
        }

        var amount = new Money(session.AmountMinor, Currency.FromCode(session.Currency));
        var refundId = Guid.CreateVersion7(now.ToDateTimeOffset());
        var owedId = Guid.CreateVersion7(now.ToDateTimeOffset());
        await ledger.AddAsync(db, new LedgerTransaction.Builder(owedId, TransactionKind.Refund, $"refund {refundId:N} of payment {session.Id:N} owed to the payer")
            .Move(AccountCode.VendorFloat(vend.VendorId, session.Currency), AccountCode.RefundsOwed(session.Provider, session.Currency), amount)
            .Build(), now, $"payment {session.Id:N}", ct);
        db.PaymentRefunds.Add(new PaymentRefund
        {
            Id = refundId, PaymentId = session.Id, Provider = session.Provider, ProviderPaymentId = session.ProviderPaymentId!,
            AmountMinor = amount.Minor, Currency = amount.Currency.Code, ApprovalId = approval.Id,
            State = RefundState.Requested, NextAttemptAt = now, CreatedAt = now,
        });
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = approver.AuditName, ActorId = approver.AuditId, Action = "payment.refund.approve", Target = RefundRequests.Target(session.Id),
            Details = $"refund {refundId} of {amount} to the payer through {session.Provider}, approval {approval.Id}; vend {vend.Id} reversed in transaction {reversalId}",
        });
        return new Execution.Done($"refund {refundId}; reversal transaction {reversalId}");
    }

    private static async Task<PaymentSession> SessionAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct)
    {
        var paymentId = MoneyApprovals.Payload<RefundRequests.Payload>(approval).PaymentId;
        return await db.PaymentSessions.AsNoTracking().FirstAsync(s => s.Id == paymentId, ct);
    }
}
