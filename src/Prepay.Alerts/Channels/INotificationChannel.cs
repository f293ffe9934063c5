using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Channels;

/// <summary>
/// A way to reach someone. A channel sends one message and says how it went; it never throws for a failed send.
/// Every channel carries the notification's id (email Message-ID, <c>Prepay-Delivery-Id</c>, gateway <c>id</c>) so
/// that the receiver can drop a resend.
/// </summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    Task<SendResult> SendAsync(NotificationRecord n, PrepayDb db, CancellationToken ct);
}

/// <summary>
/// How one send went. <see cref="Permanent"/>: trying again cannot help (bad address, subscription gone).
/// <see cref="StatusCode"/> and <see cref="SubscriptionId"/> are for the webhook delivery log.
/// </summary>
public sealed record SendResult(bool Delivered, string? Error = null, bool Permanent = false, int? StatusCode = null, Guid? SubscriptionId = null)
{
    public static readonly SendResult Ok = new(true);

    public static SendResult Failed(string error, bool permanent = false, int? status = null, Guid? subscription = null) =>
        new(false, error.Length > 1000 ? error[..1000] : error, permanent, status, subscription);
}
