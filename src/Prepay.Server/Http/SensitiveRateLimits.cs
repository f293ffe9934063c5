using System.Threading.RateLimiting;

namespace Prepay.Server.Http;

/// <summary>
/// The requests that guess at something get a much smaller allowance per client address than the rest: a password
/// or an authenticator code (sign-in, its second step, the password change), a meter and its tenant
/// (<c>/recharge</c>'s look-up and payment), and a signature (payment callbacks). They are counted before anything
/// else runs, so a refused one reads and writes nothing.
/// </summary>
public static class SensitiveRateLimits
{
    /// <summary>Which allowance a request draws on, or null for none of these.</summary>
    public static SensitiveKind? KindOf(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }
        var path = request.Path;
        if (path.StartsWithSegments("/login") || path.StartsWithSegments("/account/password"))
        {
            return SensitiveKind.SignIn;
        }
        if (path.StartsWithSegments("/recharge"))
        {
            return SensitiveKind.Recharge;
        }
        if (path.StartsWithSegments("/api/v1/payments/callbacks"))
        {
            return SensitiveKind.PaymentCallback;
        }
        return null;
    }

    /// <summary>The limiter: one bucket per kind and client address; other requests pass untouched.</summary>
    public static PartitionedRateLimiter<HttpContext> Create(RateLimitOptions limits) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context => KindOf(context.Request) switch
        {
            SensitiveKind.SignIn => PerMinute("sign-in:" + context.Connection.RemoteIpAddress, limits.SignInPerMinute),
            SensitiveKind.Recharge => PerMinute("recharge:" + context.Connection.RemoteIpAddress, limits.RechargePerMinute),
            SensitiveKind.PaymentCallback => RateLimitPartition.GetTokenBucketLimiter("callback:" + context.Connection.RemoteIpAddress,
                _ => RateLimits.Bucket(limits.CallbacksPerSecond, limits.CallbacksBurst)),
            _ => RateLimitPartition.GetNoLimiter("other"),
        });

    /// <summary>What a refused request of <paramref name="kind"/> is told.</summary>
    public static string Why(SensitiveKind kind, RateLimitOptions limits) => kind switch
    {
        SensitiveKind.SignIn => $"This address may try {limits.SignInPerMinute} sign-ins a minute.",
        SensitiveKind.Recharge => $"This address may look up or pay for {limits.RechargePerMinute} meters a minute.",
        _ => $"This address may send {limits.CallbacksPerSecond} payment callbacks a second (bursts of {limits.CallbacksBurst}).",
    };

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = permits,
            TokensPerPeriod = permits,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}

public enum SensitiveKind
{
    SignIn,
    Recharge,
    PaymentCallback,
}
