using System.Net;

namespace Prepay.Simulator.Fleet;

/// <summary>
/// Waits out the server's rate limit as a well-behaved client does: on 429 it sleeps for the Retry-After the server
/// gave (1 s when none) and sends the same request again, a bounded number of times. Vends keep their idempotency
/// key, so a resend never buys twice.
/// </summary>
public sealed class RateLimitRetryHandler(HttpMessageHandler inner, int maxRetries = 30) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= maxRetries)
            {
                return response;
            }
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }
}
