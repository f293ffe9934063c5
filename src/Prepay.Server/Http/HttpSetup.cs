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
            o.SerializerOptions.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
        });
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = c.HttpContext.TraceIdentifier);
        services.AddOpenApi();
        services.AddMemoryCache();

        var limits = configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.OnRejected = async (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await Problems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests",
                    $"This client may make {limits.PermitsPerSecond} requests a second (bursts of {limits.Burst}). Retry after a second.");
            };
            // One bucket per API key (per address for calls without one). The limit protects the server; it guards no money.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetTokenBucketLimiter(
                        context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? "key:" + auth : "ip:" + context.Connection.RemoteIpAddress,
                        _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = limits.Burst,
                            TokensPerPeriod = limits.PermitsPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
        });
        return services;
    }

    public static WebApplication UsePrepayHttp(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRateLimiter();
        app.UseAuthentication();
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

    /// <summary>Sustained requests per second per API key. Default 100.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Requests allowed at once before the sustained rate applies. Default 200.</summary>
    public int Burst { get; set; } = 200;
}
