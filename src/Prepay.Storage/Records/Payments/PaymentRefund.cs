using NodaTime;

namespace Prepay.Storage.Records.Payments;

/// <summary>
/// A payment given back to its payer through the provider that took it, written in the transaction of the approval
/// that reversed its vend (so there is never a refund without its reversal, nor the other way round). It is also the
/// outbox row of the provider call: the refund dispatcher claims it after commit, calls the provider with
/// <see cref="Id"/> as the provider's idempotency key, and moves it from <see cref="RefundState.Requested"/> through
/// <see cref="RefundState.Sent"/> to refunded or failed. One refund per payment: <see cref="PaymentId"/> is unique.
/// </summary>
public sealed class PaymentRefund
{
    public Guid Id { get; init; }

    /// <summary>The payment session refunded.</summary>
    public Guid PaymentId { get; init; }

    public required string Provider { get; init; }

    /// <summary>The provider's id of the payment being refunded.</summary>
    public required string ProviderPaymentId { get; init; }

    public long AmountMinor { get; init; }
    public required string Currency { get; init; }

    /// <summary>The money approval that ordered it.</summary>
    public Guid ApprovalId { get; init; }

    public RefundState State { get; set; }

    /// <summary>The provider's reference of the refund, once it answered that it paid it.</summary>
    public string? ProviderReference { get; set; }

    /// <summary>Provider calls made (claims taken), the one in flight included.</summary>
    public int Attempts { get; set; }

    /// <summary>When the dispatcher may take it next: now when written, a lease ahead while claimed, later after a failed try.</summary>
    public Instant NextAttemptAt { get; set; }

    public Instant CreatedAt { get; init; }

    /// <summary>When it ended refunded or failed.</summary>
    public Instant? CompletedAt { get; set; }

    public string? LastError { get; set; }
}

public enum RefundState
{
    /// <summary>Approved and waiting for its first provider call.</summary>
    Requested,

    /// <summary>Handed to the provider at least once, with no final answer yet (retried after back-off or a lease).</summary>
    Sent,

    /// <summary>The provider paid it back: the money left the refunds-owed account.</summary>
    Refunded,

    /// <summary>The provider refused it, or every attempt failed: the money stays owed to the payer, for staff.</summary>
    Failed,
}
