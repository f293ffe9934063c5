using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;
using Prepay.Vending;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Payments.Checkout;

/// <summary>
/// Turns an approved payment into its vend, through <see cref="VendingService"/> like any sale, with the provider's
/// payment id as the idempotency key: however often this runs (the callback, the payer's result page, after a
/// crash), one payment makes at most one vend. A refusal (no float, no tariff) is final and kept for staff.
/// </summary>
public sealed class PaymentVends(IServiceScopeFactory scopes, VendingService vending, PaymentsOptions options, IClock clock)
{
    /// <summary>The vend's idempotency key: the provider and its payment id (at most 100 printable characters).</summary>
    public static string VendKey(PaymentSession session) => $"pay:{session.Provider}:{session.ProviderPaymentId}";

    /// <summary>The channel a payment's vend is recorded under: <c>portal</c> or <c>web</c>.</summary>
    public static string Channel(PaymentSession session) => session.Origin == PaymentOrigins.Portal ? "portal" : "web";

    /// <summary>Makes the vend of an approved session (or finds the one made); returns the session's status after.</summary>
    public async Task<PaymentStatus> CompleteAsync(Guid sessionId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var session = await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct)
            ?? throw new InvalidOperationException($"No payment session {sessionId}.");
        if (session.Status != PaymentStatus.Approved)
        {
            return session.Status;
        }
        var vendorId = await db.Vendors.AsNoTracking().Where(v => v.Code == options.VendorCode).Select(v => (Guid?)v.Id).FirstOrDefaultAsync(ct);
        if (vendorId is null)
        {
            return await FailAsync(db, session, $"No vendor {options.VendorCode} to sell online payments from.", ct);
        }
        var amount = new Money(session.AmountMinor, Currency.FromCode(session.Currency)).ToDecimalString();
        var request = new VendRequest(session.MeterNumber, null, null, amount, session.Currency, Channel(session), $"{session.Provider}:{session.ProviderPaymentId}");
        var (command, errors) = VendCommand.From(VendKey(session), request, vending.MaxAmountMinor);
        if (command is null)
        {
            return await FailAsync(db, session, string.Join(" ", errors.Select(e => $"{e.Key} {string.Join("; ", e.Value)}.")), ct);
        }
        var actor = new Actor(Guid.Empty, "payments/" + session.Provider, Role.App, vendorId, null);
        var outcome = await vending.VendAsync(command, actor, ct);
        return outcome switch
        {
            VendOutcome.Created c => await VendedAsync(db, session, c.Vend.Id, ct),
            VendOutcome.Replayed r => await VendedAsync(db, session, r.Vend.Id, ct),
            VendOutcome.NotFound n => await FailAsync(db, session, n.Detail, ct),
            VendOutcome.Unprocessable u => await FailAsync(db, session, u.Detail, ct),
            VendOutcome.Conflict c => await FailAsync(db, session, c.Detail, ct),
            VendOutcome.KeyReused => await FailAsync(db, session, "The payment's id was used before for a different vend.", ct),
            VendOutcome.Invalid i => await FailAsync(db, session, string.Join(" ", i.Errors.Select(e => $"{e.Key} {string.Join("; ", e.Value)}.")), ct),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
        };
    }

    private static async Task<PaymentStatus> VendedAsync(PrepayDb db, PaymentSession session, Guid vendId, CancellationToken ct)
    {
        await db.QueuedAsync(() => db.PaymentSessions.Where(s => s.Id == session.Id && s.Status == PaymentStatus.Approved)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, PaymentStatus.Vended).SetProperty(x => x.VendId, vendId), ct), ct);
        return PaymentStatus.Vended;
    }

    private async Task<PaymentStatus> FailAsync(PrepayDb db, PaymentSession session, string reason, CancellationToken ct)
    {
        var detail = reason.Length > 500 ? reason[..500] : reason;
        var moved = await db.QueuedAsync(() => db.PaymentSessions.Where(s => s.Id == session.Id && s.Status == PaymentStatus.Approved)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, PaymentStatus.VendFailed).SetProperty(x => x.Failure, detail), ct), ct);
        if (moved > 0)
        {
            db.Audit.Add(new AuditRecord
            {
                At = clock.GetCurrentInstant(), Actor = "payments:" + session.Provider, Action = "payment.vend.failed",
                Target = $"payment/{session.Id}", Details = $"{session.ProviderPaymentId}: {detail}",
            });
            await db.SaveChangesAsync(ct);
            return PaymentStatus.VendFailed;
        }
        return await db.PaymentSessions.AsNoTracking().Where(s => s.Id == session.Id).Select(s => s.Status).FirstAsync(ct);
    }
}
