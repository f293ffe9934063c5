using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Cluster;

namespace Prepay.HeadEnd.Presence;

/// <summary>
/// Every few seconds: stores this node's refusal counts, and marks meters not heard from within
/// <see cref="MqttOptions.OfflineAfter"/> offline (that part once across the cluster, under a <see cref="JobLeases"/> lease).
/// </summary>
public sealed class HeadEndHousekeeping(IServiceScopeFactory scopes, RejectionCounter rejections, MqttOptions options, IClock clock, JobLeases leases, ILogger<HeadEndHousekeeping> logger) : BackgroundService
{
    /// <summary>The offline marking's lease.</summary>
    public const string JobName = "head-end.offline-marking";

    private static readonly Duration Round = Duration.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Head-end housekeeping failed");
            }
            await Task.Delay(Round.ToTimeSpan(), stoppingToken);
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await rejections.FlushAsync(ct);
        if (!await leases.TryHoldAsync(JobName, Round * 5, ct))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var cutoff = clock.GetCurrentInstant() - Duration.FromTimeSpan(options.OfflineAfter);
        await db.QueuedAsync(() => db.MeterStatus.Where(s => s.Online && s.LastSeenAt < cutoff).ExecuteUpdateAsync(s => s.SetProperty(x => x.Online, false), ct), ct);
    }
}
