using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Prepay.Server.Auth;
using Prepay.Vending.Vends;

namespace Prepay.Server.Observability;

/// <summary>
/// A node's metrics in the OpenTelemetry SDK, exposed for Prometheus at <c>/metrics</c> to API keys with the
/// <c>Monitor</c> role (or staff): Prepay's own meters (vends, backlogs, the head-end's readings, refusals and MQTT
/// link), ASP.NET Core's requests, the runtime's
/// (GC, thread pool) and Npgsql's connection pool. The endpoint is not anonymous: metrics name meters' backlogs and
/// error rates, which are an attacker's reconnaissance.
/// </summary>
public static class ObservabilitySetup
{
    public static IServiceCollection AddPrepayObservability(this IServiceCollection services, ObservabilityOptions options)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton<Backlogs>();
        services.AddHostedService(sp => sp.GetRequiredService<Backlogs>());
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("prepay", serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                .AddMeter(VendingMetrics.MeterName, Backlogs.MeterName, Prepay.HeadEnd.HeadEndMetrics.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        return services;
    }

    public static WebApplication MapPrepayMetrics(this WebApplication app)
    {
        // Its instruments observe counters kept elsewhere: they exist once it is made, so make it now.
        _ = app.Services.GetService<Prepay.HeadEnd.HeadEndMetrics>();
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(Policies.Monitoring);
        return app;
    }
}
