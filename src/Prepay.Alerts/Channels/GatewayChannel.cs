using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Channels;

/// <summary>
/// SMS or push through an HTTP gateway: POST <c>{to, text, id}</c> with the configured bearer token. <c>id</c> is
/// the notification's id, for the gateway to drop a resend. 2xx is delivered; 4xx other than 408 and 429 is final.
/// </summary>
public sealed class GatewayChannel(NotificationChannel channel, GatewayOptions gateway, IHttpClientFactory http) : INotificationChannel
{
    public const string HttpClientName = "prepay-alerts";

    public NotificationChannel Channel => channel;

    public async Task<SendResult> SendAsync(NotificationRecord n, PrepayDb db, CancellationToken ct)
    {
        if (!gateway.Configured)
        {
            return SendResult.Failed($"{channel} is not configured (Alerts:{channel}:Url)", permanent: true);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Url)
        {
            Content = JsonContent.Create(new { to = n.Recipient, text = n.Subject is null ? n.Body : $"{n.Subject}. {n.Body}", id = n.Id }),
        };
        if (!string.IsNullOrEmpty(gateway.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.Token);
        }
        request.Headers.Add("Prepay-Delivery-Id", n.Id.ToString());
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? SendResult.Ok
                : SendResult.Failed($"gateway answered {status}", permanent: IsFinal(response.StatusCode), status);
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return SendResult.Failed($"gateway: {e.GetType().Name}: {e.Message}");
        }
    }

    internal static bool IsFinal(HttpStatusCode status) =>
        (int)status is >= 400 and < 500 && status is not (HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests);
}
