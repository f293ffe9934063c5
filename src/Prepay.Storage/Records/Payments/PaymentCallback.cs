using NodaTime;

namespace Prepay.Storage.Records.Payments;

/// <summary>
/// A provider's callback that passed its signature and time checks. (Provider, CallbackId) is the primary key:
/// a callback sent again (a provider retrying, or someone replaying a captured one) finds its key taken and
/// changes nothing.
/// </summary>
public sealed class PaymentCallback
{
    public required string Provider { get; init; }

    /// <summary>The provider's unique id of this notification (its nonce).</summary>
    public required string CallbackId { get; init; }

    public Guid SessionId { get; init; }

    public required string ProviderPaymentId { get; init; }

    /// <summary>What the provider reported: <c>approved</c> or <c>declined</c>.</summary>
    public required string Result { get; init; }

    /// <summary>The timestamp the provider signed.</summary>
    public Instant SignedAt { get; init; }

    public Instant ReceivedAt { get; init; }

    /// <summary>SHA-256 of the body exactly as received, for disputes.</summary>
    public required string BodySha256 { get; init; }

    /// <summary>What it did to the session: <c>approved</c>, <c>declined</c>, or <c>ignored</c> when the session had already moved on.</summary>
    public required string Effect { get; init; }
}
