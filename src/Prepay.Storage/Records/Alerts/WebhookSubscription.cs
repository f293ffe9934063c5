using NodaTime;

namespace Prepay.Storage.Records.Alerts;

/// <summary>
/// An integration (billing, CRM, smart home) that wants events POSTed to it, signed with its own secret. The
/// secret is stored because every delivery is signed with it; the API shows it once, at creation or rotation.
/// </summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; init; }
    public required string Url { get; init; }
    /// <summary>The current signing secret, <c>whsec_</c> and base64 (Standard Webhooks).</summary>
    public required string Secret { get; set; }

    /// <summary>The secret a rotation replaced: deliveries carry its signature too until <see cref="PreviousSecretUntil"/>.</summary>
    public string? PreviousSecret { get; set; }

    public Instant? PreviousSecretUntil { get; set; }

    /// <summary>Comma-separated kinds it receives, e.g. <c>topUp,lowCredit</c>.</summary>
    public required string EventKinds { get; init; }

    public string? Description { get; init; }
    public bool Active { get; set; }
    public Instant CreatedAt { get; init; }
}
