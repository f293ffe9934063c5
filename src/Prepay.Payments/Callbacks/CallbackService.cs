using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Callbacks;

public abstract record CallbackOutcome
{
    /// <summary>The callback was new and was applied (or found its session already decided, <see cref="Effect"/> <c>ignored</c>).</summary>
    public sealed record Accepted(Guid SessionId, string Effect, PaymentStatus Status) : CallbackOutcome;

    /// <summary>This callback id was accepted before: nothing changed.</summary>
    public sealed record Duplicate(Guid SessionId) : CallbackOutcome;

    /// <param name="Status">401 for a bad signature or stale time, 400 malformed, 404 unknown provider or session, 422 a payment that does not match its session.</param>
    public sealed record Refused(int Status, string Code, string Detail) : CallbackOutcome;
}

/// <summary>
/// A provider's server-to-server callback, in this order: the provider checks signature and time; the session must
/// exist and the amount and currency must be the session's; then, in one transaction, the session moves from pending
/// to approved or declined (a conditional update, so two callbacks cannot both move it) and the callback's id is
/// stored under its unique key; a callback id seen before rolls it all back and changes nothing. An approved
/// payment is then vended (<see cref="PaymentVends"/>). Refusals are audited, never applied.
/// </summary>
public sealed class CallbackService(IServiceScopeFactory scopes, PaymentProviders providers, PaymentVends vends, IClock clock)
{
    public async Task<CallbackOutcome> HandleAsync(string providerName, Func<string, string?> header, string body, CancellationToken ct)
    {
        if (providers.Find(providerName) is not { } provider)
        {
            return new CallbackOutcome.Refused(404, "not-found", $"No payment provider '{providerName}' on this server.");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var check = provider.Check(header, body, now);
        if (check is CallbackCheck.Refused refused)
        {
            var httpStatus = refused.Code == "malformed-callback" ? 400 : 401;
            return await RefuseAsync(db, provider, httpStatus, refused.Code, refused.Detail, null, ct);
        }
        var (callback, signedAt) = (CallbackCheck.Valid)check;
        var session = await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == callback.SessionId && s.Provider == provider.Name, ct);
        if (session is null)
        {
            return await RefuseAsync(db, provider, 404, "not-found", $"No payment session {callback.SessionId}.", callback, ct);
        }
        var paid = Currency.TryFromCode(callback.Currency, out var currency) ? Money.TryParse(callback.Amount, currency) : default;
        if (callback.Currency != session.Currency || !paid.Success || paid.Value.Minor != session.AmountMinor)
        {
            return await RefuseAsync(db, provider, 422, "payment-mismatch",
                $"The callback's {callback.Currency} {callback.Amount} is not the session's amount.", callback, ct);
        }

        var decided = callback.Approved ? PaymentStatus.Approved : PaymentStatus.Declined;
        var (moved, effect, refusal) = await ApplyAsync(db, provider, session.Id, callback, decided, signedAt, now, body, ct);
        if (refusal is CallbackOutcome.Refused r)
        {
            return await RefuseAsync(db, provider, r.Status, r.Code, r.Detail, callback, ct);
        }
        if (effect is null)
        {
            return new CallbackOutcome.Duplicate(session.Id);
        }
        var status = moved ? decided : await db.PaymentSessions.AsNoTracking().Where(s => s.Id == session.Id).Select(s => s.Status).FirstAsync(ct);
        if (status == PaymentStatus.Approved)
        {
            status = await vends.CompleteAsync(session.Id, ct);
        }
        return new CallbackOutcome.Accepted(session.Id, effect, status);
    }

    /// <summary>
    /// The session's move and the callback's record, in one write transaction that is over when this returns (the
    /// vend that follows takes its own). Effect null: the callback id was taken before, and nothing was changed.
    /// </summary>
    private static async Task<(bool Moved, string? Effect, CallbackOutcome? Refusal)> ApplyAsync(PrepayDb db, IPaymentProvider provider, Guid sessionId,
        ProviderCallback callback, PaymentStatus decided, Instant signedAt, Instant now, string body, CancellationToken ct)
    {
        await using var tx = await db.BeginWriteAsync(ct);
        int moved;
        try
        {
            moved = await db.PaymentSessions.Where(s => s.Id == sessionId && s.Status == PaymentStatus.Pending)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Status, decided)
                    .SetProperty(x => x.ProviderPaymentId, callback.PaymentId)
                    .SetProperty(x => x.PaymentMethod, callback.Method)
                    .SetProperty(x => x.DecidedAt, now), ct);
        }
        catch (Exception e) when (WriteTransactions.IsUniqueViolation(e))
        {
            await tx.RollbackAsync(ct);
            return (false, null, new CallbackOutcome.Refused(422, "payment-mismatch", $"Payment {callback.PaymentId} belongs to another session."));
        }
        var effect = moved > 0 ? decided.ToString().ToLowerInvariant() : "ignored";
        // The replay guard: (provider, callback id) is the primary key. A replay inserts nothing and the rollback
        // undoes the update above, so a replayed callback changes nothing at all.
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payment_callbacks (provider, callback_id, session_id, provider_payment_id, result, signed_at, received_at, body_sha256, effect)
            VALUES ({provider.Name}, {callback.CallbackId}, {sessionId}, {callback.PaymentId}, {(callback.Approved ? "approved" : "declined")},
                    {signedAt.ToUnixTimeTicks()}, {now.ToUnixTimeTicks()}, {Sha256(body)}, {effect})
            ON CONFLICT DO NOTHING
            """, ct);
        if (inserted == 0)
        {
            await tx.RollbackAsync(ct);
            return (false, null, null);
        }
        db.Audit.Add(new AuditRecord
        {
            At = now, Actor = "payments:" + provider.Name, Action = "payment.callback", Target = $"payment/{sessionId}",
            Details = $"{callback.CallbackId}: payment {callback.PaymentId} {(callback.Approved ? "approved" : "declined")} ({effect})",
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (moved > 0, effect, null);
    }

    private async Task<CallbackOutcome> RefuseAsync(PrepayDb db, IPaymentProvider provider, int status, string code, string detail, ProviderCallback? callback, CancellationToken ct)
    {
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetCurrentInstant(), Actor = "payments:" + provider.Name, Action = "payment.callback.refused",
            Target = callback is null ? "payment/unknown" : $"payment/{callback.SessionId}",
            Details = $"{code}: {detail}{(callback is null ? "" : $" (callback {callback.CallbackId})")}",
        });
        await db.SaveChangesAsync(ct);
        return new CallbackOutcome.Refused(status, code, detail);
    }

    private static string Sha256(string body) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
}
