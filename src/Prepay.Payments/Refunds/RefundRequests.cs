using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Approvals;
using Prepay.Storage.Records.Payments;
using Prepay.Vending;
using Prepay.Vending.Approvals;
using Prepay.Vending.Postings;
using Prepay.Vending.Reversals;

namespace Prepay.Payments.Refunds;

/// <summary>
/// Asks for an online payment to be given back. A vend paid online is reversed only this way: money that moves
/// outside a sale needs two people, so this records a <see cref="ApprovalKind.PaymentRefund"/> request, and a second
/// admin's approval (<see cref="PaymentRefundApprovals"/>) reverses the vend and orders the refund in one transaction.
/// The request is checked as it stands now and again at approval. Its Idempotency-Key is claimed in the request's
/// transaction: the same key and body answer the same request, another body with it is refused.
/// </summary>
public sealed class RefundRequests(IServiceScopeFactory scopes, MoneyApprovals approvals, IEnumerable<IRefundingProvider> providers, IClock clock)
{
    internal sealed record Payload(Guid PaymentId);

    public static string Target(Guid paymentId) => $"payment/{paymentId}";

    public async Task<RefundRequestOutcome> RequestAsync(Guid paymentId, string? reason, string? idempotencyKey, Actor requester, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (MoneyApprovals.ReasonProblem(reason) is { } reasonProblem)
        {
            errors["reason"] = [reasonProblem];
        }
        if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            errors["Idempotency-Key"] = [keyProblem];
        }
        if (errors.Count > 0)
        {
            return new RefundRequestOutcome.Invalid(errors);
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                return await RequestOnceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), paymentId, reason!.Trim(), idempotencyKey!, requester, ct);
            }
            catch (Exception e) when (WriteTransactions.IsTransient(e) && attempt < 5)
            {
                // A PostgreSQL deadlock or serialisation failure rolled it all back: ask again from the start.
            }
        }
    }

    private async Task<RefundRequestOutcome> RequestOnceAsync(PrepayDb db, Guid paymentId, string reason, string key, Actor requester, CancellationToken ct)
    {
        var claimKey = "refund-request:" + key;
        var hash = RequestHash(paymentId, reason);
        if (await ReplayAsync(db, requester, claimKey, hash, ct) is { } replay)
        {
            return replay;
        }
        var session = await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == paymentId, ct);
        if (session is null)
        {
            return new RefundRequestOutcome.NotFound($"No payment {paymentId}.");
        }
        if (await RefusalAsync(db, session, providers, ct) is { } refused)
        {
            return refused;
        }

        await using var tx = await db.BeginWriteAsync(ct);
        // Locks the session row (PostgreSQL) for the checks below: two requests for one payment with different keys
        // queue here, and the second finds the first one's request pending.
        if (await db.PaymentSessions.Where(s => s.Id == paymentId && s.Status == PaymentStatus.Vended).ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, PaymentStatus.Vended), ct) == 0
            || await PendingOrRefundedAsync(db, paymentId, ct) is not null)
        {
            await tx.RollbackAsync(ct);
            return await RefusalAsync(db, (await db.PaymentSessions.AsNoTracking().FirstAsync(s => s.Id == paymentId, ct)), providers, ct)
                ?? new RefundRequestOutcome.Conflict("refund-pending", $"Payment {paymentId} has a refund asked for meanwhile.");
        }
        var amount = new Money(session.AmountMinor, Currency.FromCode(session.Currency));
        var approval = approvals.Request(db, ApprovalKind.PaymentRefund, Target(paymentId), new Payload(paymentId), amount, reason, requester);
        if (!await IdempotencyClaimStore.TryClaimAsync(db, requester.KeyId, claimKey, hash, approval.Id, ct))
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return await ReplayAsync(db, requester, claimKey, hash, ct) ?? throw new InvalidOperationException("Idempotency claim vanished.");
        }
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetCurrentInstant(), Actor = requester.AuditName, ActorId = requester.AuditId, Action = "payment.refund.request", Target = Target(paymentId),
            Details = $"{amount} of {session.Provider} payment {session.ProviderPaymentId} (vend {session.VendId}), approval {approval.Id}: {reason}",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new RefundRequestOutcome.Requested(ApprovalView.Of(approval), Replayed: false);
    }

    private static async Task<RefundRequestOutcome?> ReplayAsync(PrepayDb db, Actor requester, string claimKey, string hash, CancellationToken ct)
    {
        var claim = await db.IdempotencyClaims.AsNoTracking().FirstOrDefaultAsync(c => c.ScopeId == requester.KeyId && c.Key == claimKey, ct);
        if (claim is null)
        {
            return null;
        }
        var approval = claim.RequestHash == hash ? await db.MoneyApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == claim.ResultId, ct) : null;
        return approval is null ? new RefundRequestOutcome.KeyReused() : new RefundRequestOutcome.Requested(ApprovalView.Of(approval), Replayed: true);
    }

    /// <summary>
    /// Why this payment cannot be refunded now, or null. The approval asks the same (<see cref="PaymentRefundApprovals"/>)
    /// as things stand then, and withdraws a smart meter's credit command still queued.
    /// </summary>
    internal static async Task<RefundRequestOutcome.Conflict?> RefusalAsync(PrepayDb db, PaymentSession session, IEnumerable<IRefundingProvider> providers, CancellationToken ct,
        Guid? deciding = null)
    {
        if (await PendingOrRefundedAsync(db, session.Id, ct, deciding) is { } taken)
        {
            return taken;
        }
        if (session.Status != PaymentStatus.Vended || session.VendId is not { } vendId || session.ProviderPaymentId is null)
        {
            return new RefundRequestOutcome.Conflict(session.Status == PaymentStatus.Refunded ? "already-refunded" : "not-vended",
                $"Payment {session.Id} is {Checkout.PaidNotVended.Name(session.Status)}: only a payment approved and vended is refunded this way"
                + (session.Status == PaymentStatus.VendFailed ? " (one paid but not vended is followed up at /api/v1/payments/{id}/refund)." : "."));
        }
        if (!providers.Any(p => p.Name == session.Provider))
        {
            return new RefundRequestOutcome.Conflict("provider-cannot-refund", $"The {session.Provider} provider is not enabled for refunds on this server.");
        }
        var vend = await db.Vends.AsNoTracking().FirstAsync(v => v.Id == vendId, ct);
        if (await ReversalService.ExistingAsync(db, vend, ct) is not null)
        {
            return new RefundRequestOutcome.Conflict("already-reversed", $"The vend {vendId} of payment {session.Id} was reversed already.");
        }
        return await ReversalService.CreditSentToMeterAsync(db, vend, ct) is { } sent ? new RefundRequestOutcome.Conflict(sent.Code, sent.Detail) : null;
    }

    private static async Task<RefundRequestOutcome.Conflict?> PendingOrRefundedAsync(PrepayDb db, Guid paymentId, CancellationToken ct, Guid? deciding = null)
    {
        if (await db.PaymentRefunds.AsNoTracking().FirstOrDefaultAsync(r => r.PaymentId == paymentId, ct) is { } refund)
        {
            return new RefundRequestOutcome.Conflict("already-refunded", $"Payment {paymentId} has refund {refund.Id} ({refund.State.ToString().ToLowerInvariant()}); a payment is refunded once.");
        }
        var target = Target(paymentId);
        return await db.MoneyApprovals.AsNoTracking().FirstOrDefaultAsync(a => a.Kind == ApprovalKind.PaymentRefund && a.Target == target && a.State == ApprovalState.Requested && a.Id != deciding, ct) is { } pending
            ? new RefundRequestOutcome.Conflict("refund-pending", $"A refund of payment {paymentId} waits for approval: /api/v1/approvals/{pending.Id}.")
            : null;
    }

    private static string RequestHash(Guid paymentId, string reason) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{paymentId:N}\n{reason}")));
}
