using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Payments.Refunds;
using Prepay.Storage;

namespace Prepay.Payments.Sandbox;

/// <summary>A refund as the sandbox recorded it.</summary>
public sealed record SandboxRefund(string IdempotencyKey, string PaymentId, Money Amount, string Reference, Instant At);

/// <summary>
/// The sandbox provider's refund desk, its own side as a card company runs one: it refunds a payment it took, at
/// most what was paid and once per payment, and keys each refund by the caller's idempotency key, so the same key
/// asked again answers the refund already made instead of paying twice. Payments made with
/// <see cref="TestCards.RefundFails"/> (or a mobile number ending in <see cref="TestCards.RefundFailsMobileSuffix"/>)
/// fail at its processor every time. It keeps its refunds in this process's memory, as the sandbox keeps its
/// generated secret: it is for demos and tests, not for a fleet of servers.
/// </summary>
public sealed class SandboxRefunds(IServiceScopeFactory scopes, IClock clock)
{
    private readonly ConcurrentDictionary<string, SandboxRefund> _byKey = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SandboxRefund> _byPayment = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The refunds made of one payment (at most one), as the sandbox's dashboard would list them.</summary>
    public IReadOnlyList<SandboxRefund> Of(string paymentId) => _byPayment.TryGetValue(paymentId, out var r) ? [r] : [];

    /// <summary>How many refund calls the desk answered, failed ones and repeats included.</summary>
    public int Calls => _calls;

    private int _calls;

    public async Task<RefundAnswer> RefundAsync(string idempotencyKey, string paymentId, Money amount, CancellationToken ct)
    {
        Interlocked.Increment(ref _calls);
        if (_byKey.TryGetValue(idempotencyKey, out var earlier))
        {
            return earlier.PaymentId == paymentId && earlier.Amount == amount
                ? new RefundAnswer.Refunded(earlier.Reference)
                : new RefundAnswer.Refused($"idempotency key {idempotencyKey} was used for another refund");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var paid = await db.PaymentSessions.AsNoTracking()
            .Where(s => s.Provider == SandboxProvider.ProviderName && s.ProviderPaymentId == paymentId)
            .Select(s => new { s.AmountMinor, s.Currency, s.PaymentMethod }).FirstOrDefaultAsync(ct);
        if (paid is null)
        {
            return new RefundAnswer.Refused($"no sandbox payment {paymentId}");
        }
        if (paid.Currency != amount.Currency.Code || amount.Minor > paid.AmountMinor || !amount.IsPositive)
        {
            return new RefundAnswer.Refused($"a refund of {amount} is more than payment {paymentId} took");
        }
        if (TestCards.RefundsFail(paid.PaymentMethod))
        {
            return new RefundAnswer.Unavailable("refund_processing_error: the sandbox's processor refuses refunds of this test instrument");
        }
        lock (_gate)
        {
            if (_byKey.TryGetValue(idempotencyKey, out earlier))
            {
                return new RefundAnswer.Refunded(earlier.Reference);
            }
            if (_byPayment.ContainsKey(paymentId))
            {
                return new RefundAnswer.Refused($"payment {paymentId} was refunded already");
            }
            var refund = new SandboxRefund(idempotencyKey, paymentId, amount, "sbx_re_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), clock.GetCurrentInstant());
            _byKey[idempotencyKey] = refund;
            _byPayment[paymentId] = refund;
            return new RefundAnswer.Refunded(refund.Reference);
        }
    }
}
