using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Channels;

/// <summary>
/// POSTs a notification's JSON to its subscription's URL the Standard Webhooks way (<see cref="WebhookSignature"/>):
/// <c>webhook-id</c> is the notification's id, the same on every retry, for the receiver to drop a resend;
/// <c>webhook-signature</c> holds a signature per secret in force (<see cref="WebhookSecrets"/>). 2xx is delivered;
/// 410 Gone or a deleted subscription is final; anything else is retried.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory http, IClock clock) : INotificationChannel
{
    public const string HttpClientName = "prepay-webhooks";

    public NotificationChannel Channel => NotificationChannel.Webhook;

    public async Task<SendResult> SendAsync(NotificationRecord n, PrepayDb db, CancellationToken ct)
    {
        if (!Guid.TryParse(n.Recipient, out var subscriptionId))
        {
            return SendResult.Failed("no subscription", permanent: true);
        }
        var hook = await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(w => w.Id == subscriptionId, ct);
        if (hook is not { Active: true })
        {
            return SendResult.Failed("subscription deleted", permanent: true, subscription: hook?.Id);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url)
        {
            Content = new StringContent(n.Body, Encoding.UTF8, "application/json"),
        };
        var now = clock.GetCurrentInstant();
        var id = n.Id.ToString();
        var timestamp = now.ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.IdHeader, id);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.SignAll(WebhookSecrets.InForce(hook, now), id, timestamp, n.Body));
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new SendResult(true, StatusCode: status, SubscriptionId: hook.Id)
                : SendResult.Failed($"receiver answered {status}", permanent: response.StatusCode == HttpStatusCode.Gone, status, hook.Id);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            // A generic reason only: the delivery log is shown to staff, and the exception's text can describe the
            // network behind the receiver (addresses, certificates).
            return SendResult.Failed(e is OperationCanceledException ? "timed out" : "could not connect or send", subscription: hook.Id);
        }
    }
}
