using NodaTime;

namespace Prepay.Storage.Records.Payments;

/// <summary>
/// One checkout: a payer asked to pay an amount for a meter through a payment provider. The session moves from
/// <see cref="PaymentStatus.Pending"/> to approved or declined on the provider's signed callback, and from approved to
/// vended once <c>VendingService</c> made the vend (keyed by the provider's payment id, so one payment makes at most
/// one vend). Each move is a conditional update from the state before, so two callbacks cannot both move it.
/// </summary>
public sealed class PaymentSession
{
    public Guid Id { get; init; }

    /// <summary>The provider's name, e.g. <c>sandbox</c>.</summary>
    public required string Provider { get; init; }

    public PaymentStatus Status { get; set; }

    /// <summary>Where the payer started: <c>portal</c> (signed in) or <c>recharge</c> (the public page).</summary>
    public required string Origin { get; init; }

    /// <summary>The form's key: the same form sent twice opens the same session. Unique.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>SHA-256 of what the form asked for, to tell a resent form from a different request with its key.</summary>
    public required string RequestHash { get; init; }

    /// <summary>
    /// A random capability that goes with the session id in the payer's return address; the result page (which shows
    /// the token) opens only with it, so a session id seen elsewhere (a log, the provider) does not show the token.
    /// </summary>
    public required string AccessKey { get; init; }

    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }

    /// <summary>Whose account the meter's vends credit at the time of checkout.</summary>
    public Guid CustomerId { get; init; }

    /// <summary>The signed-in customer who paid, for portal sessions; null on the public page.</summary>
    public Guid? PayerCustomerId { get; init; }

    public long AmountMinor { get; init; }
    public required string Currency { get; init; }

    public Instant CreatedAt { get; init; }

    /// <summary>After this the checkout page no longer takes a payment (a callback for an earlier payment still counts).</summary>
    public Instant ExpiresAt { get; init; }

    /// <summary>The provider's id of the payment, known from its callback. Unique per provider.</summary>
    public string? ProviderPaymentId { get; set; }

    /// <summary>How it was paid, as the provider names it masked ("card •••• 4242", "mobile •••• 1234").</summary>
    public string? PaymentMethod { get; set; }

    public Instant? DecidedAt { get; set; }

    public Guid? VendId { get; set; }

    /// <summary>Why the vend could not be made (approved payments only), for staff to refund or retry.</summary>
    public string? Failure { get; set; }
}

public enum PaymentStatus
{
    /// <summary>Waiting for the payer at the provider's checkout.</summary>
    Pending,

    /// <summary>The provider says the money was taken; the vend is being made.</summary>
    Approved,

    /// <summary>The provider refused the payment: nothing is vended.</summary>
    Declined,

    /// <summary>Paid and vended: <see cref="PaymentSession.VendId"/> holds the vend.</summary>
    Vended,

    /// <summary>Paid but the vend was refused (no float, no tariff): needs staff, never retried silently.</summary>
    VendFailed,

    /// <summary>Paid, not vended, and refunded at the provider by staff (the reference is in the audit log).</summary>
    Refunded,
}
