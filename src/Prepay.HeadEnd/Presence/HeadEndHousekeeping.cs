using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.Storage;

namespace Prepay.HeadEnd.Presence;

/// <summary>Every few seconds: marks meters not heard from within <see cref="MqttOptions.OfflineAfter"/> offline, and stores refusal counts.</summary>
public sealed class HeadEndHousekeeping(IServiceScopeFactory scopes, RejectionCounter rejections, MqttOptions options, IClock clock, ILogger<HeadEndHousekeeping> logger) : BackgroundService
{
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
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await rejections.FlushAsync(ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var cutoff = clock.GetCurrentInstant() - Duration.FromTimeSpan(options.OfflineAfter);
        await db.QueuedAsync(() => db.MeterStatus.Where(s => s.Online && s.LastSeenAt < cutoff).ExecuteUpdateAsync(s => s.SetProperty(x => x.Online, false), ct), ct);
    }
}
