using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Metering;

namespace Prepay.Server.Observability;

/// <summary>
/// The queues that must drain, measured from the database every <see cref="ObservabilityOptions.BacklogSampleSeconds"/>
/// (so every node reports the cluster's backlog, and a scrape never waits on a query): commands not yet acknowledged
/// and alerts not yet sent, how many and how old the oldest. A command queue that grows or ages means meters are
/// not being reached; an outbox that does means customers are not being told.
/// </summary>
public sealed class Backlogs : BackgroundService
{
    public const string MeterName = "Prepay.Backlogs";

    private readonly IServiceScopeFactory _scopes;
    private readonly IClock _clock;
    private readonly ObservabilityOptions _options;
    private readonly ILogger<Backlogs> _log;
    private readonly Meter _meter;
    private volatile Snapshot _last = new(0, 0, 0, 0);

    public Backlogs(IServiceScopeFactory scopes, IClock clock, ObservabilityOptions options, IMeterFactory meters, ILogger<Backlogs> log)
    {
        (_scopes, _clock, _options, _log) = (scopes, clock, options, log);
        _meter = meters.Create(MeterName);
        _meter.CreateObservableGauge("prepay.commands.pending", () => _last.Commands, "{command}", "Commands queued or sent and not yet acknowledged, failed, expired or cancelled.");
        _meter.CreateObservableGauge("prepay.commands.oldest_age", () => _last.OldestCommandSeconds, "s", "Age of the oldest pending command.");
        _meter.CreateObservableGauge("prepay.alerts.outbox.pending", () => _last.Notifications, "{notification}", "Customer alerts waiting to be sent.");
        _meter.CreateObservableGauge("prepay.alerts.outbox.oldest_age", () => _last.OldestNotificationSeconds, "s", "Age of the oldest alert waiting to be sent.");
    }

    /// <summary>What the last sample found.</summary>
    public sealed record Snapshot(long Commands, double OldestCommandSeconds, long Notifications, double OldestNotificationSeconds);

    public Snapshot Last => _last;

    /// <summary>Takes a sample now (the loop does it on its period; tests call it to avoid waiting).</summary>
    public async Task<Snapshot> SampleAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var pending = db.MeterCommands.AsNoTracking().Where(c => c.State == CommandState.Queued || c.State == CommandState.Sent);
        var waiting = db.Notifications.AsNoTracking().Where(n => n.State == NotificationState.Pending);
        var commands = await pending.LongCountAsync(ct);
        var oldestCommand = commands == 0 ? (Instant?)null : await pending.OrderBy(c => c.CreatedAt).Select(c => c.CreatedAt).FirstAsync(ct);
        var notifications = await waiting.LongCountAsync(ct);
        var oldestNotification = notifications == 0 ? (Instant?)null : await waiting.OrderBy(n => n.CreatedAt).Select(n => n.CreatedAt).FirstAsync(ct);
        var now = _clock.GetCurrentInstant();
        return _last = new Snapshot(commands, AgeSeconds(now, oldestCommand), notifications, AgeSeconds(now, oldestNotification));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.BacklogSampleSeconds));
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database that cannot be read is what the readiness check reports; the gauges keep their last value.
                _log.LogWarning(e, "Could not measure the backlogs");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static double AgeSeconds(Instant now, Instant? oldest) => oldest is { } at && at < now ? (now - at).TotalSeconds : 0;
}
