using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;
using Prepay.Vending;

namespace Prepay.Payments.Checkout;

/// <summary>A payment session as staff see it, with why its vend failed.</summary>
public sealed record PaymentView(
    Guid Id,
    string Status,
    string Provider,
    string? ProviderPaymentId,
    string MeterNumber,
    string Amount,
    string Currency,
    string Origin,
    string CreatedAt,
    string? DecidedAt,
    string? Failure,
    Guid? VendId,
    Refunds.RefundView? Refund = null);

public abstract record FollowUpOutcome
{
    public sealed record Done(PaymentView Payment) : FollowUpOutcome;
    public sealed record NotFound : FollowUpOutcome;
    public sealed record WrongState(PaymentStatus Status) : FollowUpOutcome;
    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : FollowUpOutcome;
}

/// <summary>
/// Staff's follow-up of payments taken but not vended (<see cref="PaymentStatus.VendFailed"/>: no float, a meter out
/// of service): try the vend again once the cause is fixed, or record that the money was refunded at the provider.
/// Each is a conditional move out of <c>VendFailed</c>, so two clerks acting at once act once, and audited with the
/// clerk's reason. A retried vend keeps the payment id as its key: it can never be a second vend of one payment.
/// </summary>
public sealed class PaidNotVended(IServiceScopeFactory scopes, PaymentVends vends, IClock clock)
{
    public const int MaxReasonLength = 500;
    public const int MaxReferenceLength = 100;

    public async Task<IReadOnlyList<PaymentView>> ListAsync(PaymentStatus? status, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var query = db.PaymentSessions.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(x => x.Status == s);
        }
        var sessions = await query.OrderByDescending(x => x.CreatedAt).Take(limit).ToListAsync(ct);
        var ids = sessions.Select(s => s.Id).ToList();
        var refunds = await db.PaymentRefunds.AsNoTracking().Where(r => ids.Contains(r.PaymentId)).ToDictionaryAsync(r => r.PaymentId, ct);
        return sessions.Select(s => View(s, refunds.GetValueOrDefault(s.Id))).ToList();
    }

    public async Task<PaymentView?> FindAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.PaymentSessions.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) is { } s
            ? View(s, await db.PaymentRefunds.AsNoTracking().FirstOrDefaultAsync(r => r.PaymentId == id, ct))
            : null;
    }

    /// <summary>Moves the session back to approved and makes its vend; it ends vended, or failed again with the new cause.</summary>
    public async Task<FollowUpOutcome> RetryAsync(Guid id, string? reason, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (CheckReason(reason) is { } invalid)
        {
            return invalid;
        }
        var moved = await MoveAsync(id, PaymentStatus.Approved, actor, "payment.vend.retry", reason!.Trim(), ct);
        if (moved is not null)
        {
            return moved;
        }
        await vends.CompleteAsync(id, ct);
        return new FollowUpOutcome.Done((await FindAsync(id, ct))!);
    }

    /// <summary>Records that staff refunded the payment at the provider (its refund reference and why); nothing is vended after.</summary>
    public async Task<FollowUpOutcome> MarkRefundedAsync(Guid id, string? reason, string? reference, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>();
        if (CheckReason(reason) is { } invalid)
        {
            foreach (var (k, v) in invalid.Errors)
            {
                errors[k] = v;
            }
        }
        if (string.IsNullOrWhiteSpace(reference) || reference.Trim().Length > MaxReferenceLength)
        {
            errors["refundReference"] = [$"The provider's refund reference is required, at most {MaxReferenceLength} characters."];
        }
        if (errors.Count > 0)
        {
            return new FollowUpOutcome.Invalid(errors);
        }
        return await MoveAsync(id, PaymentStatus.Refunded, actor, "payment.refunded", $"refund {reference!.Trim()}: {reason!.Trim()}", ct)
            ?? new FollowUpOutcome.Done((await FindAsync(id, ct))!);
    }

    private static FollowUpOutcome.Invalid? CheckReason(string? reason) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength
            ? new FollowUpOutcome.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"A reason is required, at most {MaxReasonLength} characters."] })
            : null;

    /// <summary>Null when the session moved from VendFailed to <paramref name="to"/> (audited in the same transaction); otherwise why not.</summary>
    private async Task<FollowUpOutcome?> MoveAsync(Guid id, PaymentStatus to, Actor actor, string action, string details, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await using var tx = await db.BeginWriteAsync(ct);
        var moved = await db.PaymentSessions.Where(s => s.Id == id && s.Status == PaymentStatus.VendFailed)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, to), ct);
        if (moved == 0)
        {
            var status = await db.PaymentSessions.AsNoTracking().Where(s => s.Id == id).Select(s => (PaymentStatus?)s.Status).FirstOrDefaultAsync(ct);
            return status is { } found ? new FollowUpOutcome.WrongState(found) : new FollowUpOutcome.NotFound();
        }
        db.Audit.Add(new AuditRecord
        {
            At = clock.GetCurrentInstant(), Actor = actor.AuditName, ActorId = actor.AuditId, Action = action, Target = $"payment/{id}",
            Details = details.Length > 1000 ? details[..1000] : details,
        });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return null;
    }

    private static PaymentView View(PaymentSession s, PaymentRefund? refund) => new(
        s.Id, Name(s.Status), s.Provider, s.ProviderPaymentId, s.MeterNumber,
        new Money(s.AmountMinor, Currency.FromCode(s.Currency)).ToDecimalString(), s.Currency, s.Origin,
        InstantPattern.ExtendedIso.Format(s.CreatedAt), s.DecidedAt is { } d ? InstantPattern.ExtendedIso.Format(d) : null, s.Failure, s.VendId,
        refund is null ? null : Refunds.RefundView.Of(refund));

    /// <summary>The status as the API writes it: camel case (<c>vendFailed</c>).</summary>
    public static string Name(PaymentStatus status) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(status.ToString());
}
