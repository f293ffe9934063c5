namespace Prepay.Storage.Records.Alerts;

/// <summary>A file sent with an email of the outbox (a scheduled report's CSV), inserted with its notification.</summary>
public sealed class NotificationAttachment
{
    public Guid NotificationId { get; init; }

    public required string FileName { get; init; }

    public required string ContentType { get; init; }

    public required string Content { get; init; }
}
