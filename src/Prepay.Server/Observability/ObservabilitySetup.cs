using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prepay.Server.Auth;
using Prepay.Vending.Vends;

namespace Prepay.Server.Observability;

/// <summary>
/// A node's metrics in the OpenTelemetry SDK, exposed for Prometheus at <c>/metrics</c> to API keys with the
/// <c>Monitor</c> role (or staff): Prepay's own meters (vends, backlogs, the head-end's readings, refusals and MQTT
/// link), ASP.NET Core's requests, the runtime's
/// (GC, thread pool) and Npgsql's connection pool; with <see cref="ObservabilityOptions.OtlpEndpoint"/> set, traces of
/// requests, SQL and commands to an OpenTelemetry collector. The endpoint is not anonymous: metrics name meters' backlogs and
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
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("prepay", serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                .AddMeter(VendingMetrics.MeterName, Backlogs.MeterName, Prepay.HeadEnd.HeadEndMetrics.MeterName, "Npgsql")
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());
        if (options.OtlpEndpoint is { Length: > 0 } endpoint)
        {
            // A vend's trace: its HTTP request, its SQL (Npgsql's own source), its command's sends and acknowledgement.
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/metrics"))
                .AddSource(Prepay.HeadEnd.Commands.CommandTracing.SourceName, "Npgsql")
                .AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)));
        }
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
