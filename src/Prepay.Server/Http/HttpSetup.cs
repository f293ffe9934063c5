using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Diagnostics;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using Scalar.AspNetCore;

namespace Prepay.Server.Http;

/// <summary>JSON, problem details, rate limits, OpenAPI: what every endpoint shares.</summary>
public static class HttpSetup
{
    public static IServiceCollection AddPrepayHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            o.SerializerOptions.Converters.Add(new TextWithoutNul());
            o.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddOpenApi();
        services.AddMemoryCache();

        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.OnRejected = (context, ct) => RateLimits.RefuseAsync(context.HttpContext,
                SensitiveRateLimits.KindOf(context.HttpContext.Request) is { } kind
                    ? SensitiveRateLimits.Why(kind, limits)
                    : $"This address may make {limits.PerAddressPermitsPerSecond} requests a second (bursts of {limits.PerAddressBurst}).");
            // Before authentication, one bucket per client address: whatever a request claims to be (a random
            // Authorization header was a fresh bucket each time), it comes from somewhere. The limit protects the
            // server; it guards no money.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    context.Request.Path.StartsWithSegments("/health")
                        ? RateLimitPartition.GetNoLimiter("health")
                        : RateLimitPartition.GetTokenBucketLimiter("ip:" + context.Connection.RemoteIpAddress, _ => RateLimits.Bucket(limits.PerAddressPermitsPerSecond, limits.PerAddressBurst))),
                SensitiveRateLimits.Create(limits));
        });
        services.AddSingleton(configuration.GetSection(TrustedProxies.Section).Get<TrustedProxies>() ?? new TrustedProxies());
        services.AddSingleton(new RateLimits(limits));
        return services;
    }

    public static WebApplication UsePrepayHttp(this WebApplication app)
    {
        // Before the limits: the client address they count by is the proxy's word only when the proxy is named.
        if (app.Services.GetRequiredService<TrustedProxies>() is { Any: true } proxies)
        {
            app.UseForwardedHeaders(proxies.ToOptions());
        }
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<PerKeyRateLimit>();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.DisableDefaultFonts().WithTitle("Prepay API"));
        return app;
    }
}

/// <summary>Per-client request limits, bound from <c>RateLimit</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimit";

    /// <summary>Sustained requests per second per authenticated API key. Default 100.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests allowed at once before the sustained rate applies, per API key. Default 200.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Sustained requests per second per client address, counted before authentication. Default 1000.</summary>
    public int PerAddressPermitsPerSecond { get; set; } = 1000;

    /// <summary>Requests at once per client address. Default 2000.</summary>
    public int PerAddressBurst { get; set; } = 2000;

    /// <summary>Sign-in, authenticator and password-change posts per minute per client address. Default 10.</summary>
    public int SignInPerMinute { get; set; } = 10;

    /// <summary><c>/recharge</c> look-ups and payments per minute per client address. Default 20.</summary>
    public int RechargePerMinute { get; set; } = 20;

    /// <summary>Payment callbacks per second per client address (a provider's). Default 20.</summary>
    public int CallbacksPerSecond { get; set; } = 20;

    /// <summary>Payment callbacks at once per client address. Default 100.</summary>
    public int CallbacksBurst { get; set; } = 100;
}
