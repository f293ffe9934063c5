using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Dlms;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Presence;

namespace Prepay.HeadEnd;

public static class HeadEndRegistration
{
    /// <summary>
    /// The head-end: embedded broker (unless an external one is configured), the MQTT client, ingestion (readings,
    /// statuses and acknowledgements), the command dispatcher with its PostgreSQL wake-up
    /// (<see cref="CommandNotifications"/>) and housekeeping, as hosted services in that order; and, when <paramref name="dlms"/> is
    /// enabled, the DLMS transport and its scheduled reads (<see cref="DlmsRegistration.AddPrepayDlms"/>), with keys
    /// from <paramref name="dlmsKeys"/>.
    /// </summary>
    public static IServiceCollection AddPrepayHeadEnd(this IServiceCollection services, MqttOptions options, string dataDirectory,
        DlmsOptions? dlms = null, IDlmsKeyProvider? dlmsKeys = null)
    {
        if (options.Validate() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        services.AddSingleton(options);
        services.AddSingleton(_ => MeterCredentials.Load(options, dataDirectory));
        services.AddSingleton(_ => CommandKeys.Load(options, dataDirectory));
        services.AddSingleton<RejectionCounter>();
        services.AddSingleton(sp => new MeterRateLimits(options.Limits, sp.GetRequiredService<RejectionCounter>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MeterRateLimits>>()));
        services.AddSingleton<MeterDirectory>();
        services.TryAddSingleton(new Prepay.MeterData.VeeOptions());
        services.AddSingleton(sp => new Ingest.Quality.IngestValidation(sp.GetRequiredService<Prepay.MeterData.VeeOptions>(), sp.GetRequiredService<NodaTime.IClock>()));
        services.AddSingleton<ReadingIngestor>();
        services.AddSingleton<StatusAndAckWriter>();
        services.AddSingleton<MeterMessageHandler>();
        services.AddSingleton<CommandDispatcher>();
        services.AddSingleton(sp => new HeadEndMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), sp.GetRequiredService<ReadingIngestor>(),
            sp.GetRequiredService<RejectionCounter>(), sp.GetService<MqttHeadEnd>(), sp.GetService<EmbeddedBroker>(), sp.GetService<StatusAndAckWriter>()));
        // Readings' months are kept whatever transports run here (a node may ingest nothing and still hold the lease).
        services.AddHostedService<Ingest.ReadingMonths>();
        var dlmsRuns = dlms is { Enabled: true };
        if (dlmsRuns)
        {
            services.AddPrepayDlms(dlms!, dlmsKeys ?? throw new ArgumentNullException(nameof(dlmsKeys), "DLMS needs a key provider."), dataDirectory);
        }
        if (!options.Enabled)
        {
            if (!dlmsRuns)
            {
                services.AddSingleton<IMeterTransport, NoTransport>();
                return services;
            }
            // DLMS alone: MQTT meters have no transport here, so their commands stay queued (the dispatcher's rule).
            services.AddHostedService(sp => sp.GetRequiredService<ReadingIngestor>());
            services.AddHostedService(sp => sp.GetRequiredService<StatusAndAckWriter>());
            services.AddHostedService(sp => sp.GetRequiredService<CommandDispatcher>());
            services.AddHostedService<CommandNotifications>();
            return services;
        }
        if (options.Embedded)
        {
            services.AddSingleton<EmbeddedBroker>();
            services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        }
        services.AddSingleton(sp => new MqttHeadEnd(
            options, sp.GetRequiredService<MeterCredentials>(), sp.GetRequiredService<CommandKeys>(), sp.GetRequiredService<MeterMessageHandler>(), sp.GetRequiredService<MeterRateLimits>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MqttHeadEnd>>(), sp.GetService<EmbeddedBroker>()));
        services.AddSingleton<IMeterTransport>(sp => sp.GetRequiredService<MqttHeadEnd>());
        services.AddHostedService(sp => sp.GetRequiredService<MqttHeadEnd>());
        services.AddHostedService(sp => sp.GetRequiredService<ReadingIngestor>());
        services.AddHostedService(sp => sp.GetRequiredService<StatusAndAckWriter>());
        services.AddHostedService(sp => sp.GetRequiredService<CommandDispatcher>());
        services.AddHostedService<CommandNotifications>();
        services.AddHostedService<HeadEndHousekeeping>();
        return services;
    }

    /// <summary>With MQTT disabled commands stay queued; nothing is sent.</summary>
    private sealed class NoTransport : IMeterTransport
    {
        public Domain.Metering.MeterTransport Transport => Domain.Metering.MeterTransport.Mqtt;

        public bool CanCarry(MeterLink.Commands.MeterCommand command) => true;

        public Task<bool> SendAsync(Domain.Metering.MeterNumber meter, MeterLink.Commands.CommandEnvelope envelope, CancellationToken ct) => Task.FromResult(false);
    }
}
