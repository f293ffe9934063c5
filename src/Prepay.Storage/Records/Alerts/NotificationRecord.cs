using NodaTime;

namespace Prepay.Storage.Records.Alerts;

/// <summary>
/// One message to one recipient over one channel, in the outbox: written in the transaction of what caused it (a
/// vend, a stored meter event) and sent by the alerts dispatcher until it goes through or runs out of attempts.
/// <see cref="DedupKey"/> is unique, so the same cause never queues the same message twice; <see cref="Id"/> goes out
/// with the message (email Message-ID, <c>Prepay-Delivery-Id</c>, gateway <c>id</c>) so that receivers can drop the
/// one resend a crash between sending and marking can cause.
/// </summary>
public sealed class NotificationRecord
{
    public Guid Id { get; init; }

    /// <summary>The customer it is for; null for a webhook (integrations subscribe, not customers).</summary>
    public Guid? CustomerId { get; init; }

    public NotificationChannel Channel { get; init; }

    /// <summary>What it says: lowCredit, creditExhausted, disconnected, reconnected, topUp.</summary>
    public required string Kind { get; init; }

    /// <summary>Cause and destination, e.g. <c>event:{meter}:{type}:{ticks}:email</c> or <c>vend:{id}:webhook:{subscription}</c>.</summary>
    public required string DedupKey { get; init; }

    /// <summary>Email address, phone number, push device token, or the webhook subscription's id.</summary>
    public required string Recipient { get; init; }

    public string? Subject { get; init; }

    /// <summary>Text for people (email, SMS, push) or the JSON document a webhook posts.</summary>
    public required string Body { get; init; }

    public NotificationState State { get; set; }
    public int Attempts { get; set; }
    public Instant NextAttemptAt { get; set; }
    public Instant CreatedAt { get; init; }
    public Instant? SentAt { get; set; }
    public string? LastError { get; set; }
}

public enum NotificationChannel
{
    Email,
    Sms,
    Push,
    Webhook,
}

public enum NotificationState
{
    Pending,
    Sent,

    /// <summary>Gave up after the configured attempts (or the destination is gone); kept for operators.</summary>
    Failed,
}
