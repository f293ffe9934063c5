using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Cluster;
using Prepay.Storage.Readings;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Keeps the readings table's months, once across the cluster (a <see cref="JobLeases"/> lease), at start and every
/// <see cref="Interval"/>: on PostgreSQL the partitions of this month and the next ones are made before readings
/// reach them, and with <see cref="StorageOptions.ReadingRetentionMonths"/> set the months before the retention are
/// dropped (<see cref="ReadingPartitions"/>). The retention counts whole UTC months: with 24, on any day of
/// December 2026 readings from December 2024 on are kept.
/// </summary>
public sealed class ReadingMonths(IServiceScopeFactory scopes, StorageOptions storage, JobLeases leases, IClock clock, ILogger<ReadingMonths> logger) : BackgroundService
{
    /// <summary>The job's lease.</summary>
    public const string JobName = "readings.months";

    /// <summary>Between two rounds; a month's partitions are made <see cref="ReadingPartitions.MonthsAhead"/> months ahead, so an hour is ample.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, Interval, atStart: true, RunOnceAsync, logger, stoppingToken);

    /// <summary>One round: the months ahead made, the months past the retention dropped.</summary>
    public async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        foreach (var made in await ReadingPartitions.EnsureMonthsAsync(db, now, ct))
        {
            logger.LogInformation("Readings partition {Partition} made", made);
        }
        if (storage.ReadingRetentionMonths > 0)
        {
            var cutoff = ReadingPartitions.MonthStart(now, -storage.ReadingRetentionMonths);
            var (dropped, deleted) = await ReadingPartitions.DropBeforeAsync(db, cutoff, ct);
            if (dropped.Count > 0 || deleted > 0)
            {
                logger.LogInformation("Readings before {Cutoff} removed ({Retention} months kept): partitions {Partitions} dropped, {Rows} rows deleted",
                    cutoff, storage.ReadingRetentionMonths, dropped.Count == 0 ? "none" : string.Join(", ", dropped), deleted);
            }
        }
    }
}
