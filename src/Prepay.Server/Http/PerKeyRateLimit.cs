using System.Security.Claims;
using System.Threading.RateLimiting;
using Prepay.Server.Auth;

namespace Prepay.Server.Http;

/// <summary>The token buckets of the rate limits and the 429 problem they answer with.</summary>
public sealed class RateLimits(RateLimitOptions options) : IAsyncDisposable
{
    /// <summary>One bucket per authenticated API key, by the key's id: only a key that authenticated has one.</summary>
    public PartitionedRateLimiter<string> PerKey { get; } = PartitionedRateLimiter.Create<string, string>(
        key => RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(options.PermitsPerSecond, options.Burst)));

    public RateLimitOptions Options => options;

    public static TokenBucketRateLimiterOptions Bucket(int permitsPerSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = permitsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    public static async ValueTask RefuseAsync(HttpContext context, string why)
    {
        context.Response.Headers.RetryAfter = "1";
        await Problems.Write(context, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests", why + " Retry after a second.");
    }

    public ValueTask DisposeAsync() => PerKey.DisposeAsync();
}

/// <summary>
/// After authentication: one bucket per API key, keyed by the key's id (not by the header, which a client can vary
/// at will), so each key gets its own rate whatever address it calls from. Refused before any handler runs, so a
/// refused request writes nothing.
/// </summary>
public sealed class PerKeyRateLimit(RequestDelegate next, RateLimits limits)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Health checks are never limited (orchestrators poll them), here as before authentication.
        if (!context.Request.Path.StartsWithSegments("/health")
            && context.User.Identity is { IsAuthenticated: true, AuthenticationType: ApiKeyAuthentication.SchemeName }
            && context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } keyId)
        {
            using var lease = limits.PerKey.AttemptAcquire(keyId);
            if (!lease.IsAcquired)
            {
                await RateLimits.RefuseAsync(context, $"This API key may make {limits.Options.PermitsPerSecond} requests a second (bursts of {limits.Options.Burst}).");
                return;
            }
        }
        await next(context);
    }
}
