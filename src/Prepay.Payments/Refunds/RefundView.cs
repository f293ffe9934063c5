using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Refunds;

/// <summary>A payment's refund as staff see it: <c>requested</c>, <c>sent</c>, <c>refunded</c> or <c>failed</c> (the money then stays owed to the payer).</summary>
public sealed record RefundView(
    Guid Id, string State, string Amount, string Currency, Guid ApprovalId, string? ProviderReference, int Attempts, string? LastError,
    string CreatedAt, string? NextAttemptAt, string? CompletedAt)
{
    public static RefundView Of(PaymentRefund r) => new(
        r.Id, r.State.ToString().ToLowerInvariant(), new Money(r.AmountMinor, Prepay.Domain.Money.Currency.FromCode(r.Currency)).ToDecimalString(), r.Currency, r.ApprovalId,
        r.ProviderReference, r.Attempts, r.LastError, InstantPattern.ExtendedIso.Format(r.CreatedAt),
        r.State is RefundState.Requested or RefundState.Sent ? InstantPattern.ExtendedIso.Format(r.NextAttemptAt) : null,
        r.CompletedAt is { } c ? InstantPattern.ExtendedIso.Format(c) : null);
}
