using NodaTime;

namespace Prepay.Storage.Records.Alerts;

/// <summary>One attempt to deliver one notification to a webhook: what the receiver answered, or why it failed.</summary>
public sealed class WebhookDelivery
{
    public long Id { get; init; }
    public Guid SubscriptionId { get; init; }
    public Guid NotificationId { get; init; }
    public required string Kind { get; init; }
    public int Attempt { get; init; }
    public int? StatusCode { get; init; }
    public bool Succeeded { get; init; }
    public Instant At { get; init; }
    public string? Error { get; init; }
}
