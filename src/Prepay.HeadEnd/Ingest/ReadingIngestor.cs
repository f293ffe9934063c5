using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Collects accepted readings from all meters and writes them in batches (up to <see cref="MaxBatch"/> rows: whatever
/// queued while the previous batch was being written) through <see cref="ReadingWriter"/>. Refuses a reading whose
/// energy register is below an earlier reading of the same meter: registers only count up.
/// <para>
/// On PostgreSQL two writers run side by side on their own connections, each owning the meters whose id hashes to it,
/// so that one copies while the server stores the other's batch, and no two transactions ever hold the same meter's
/// rows (which could deadlock on a repeated reading). SQLite has one writer at a time in any case, so one.
/// </para>
/// </summary>
public sealed class ReadingIngestor(IServiceScopeFactory scopes, RejectionCounter rejections, StorageOptions storage, ILogger<ReadingIngestor> logger) : BackgroundService
{
    public const int MaxBatch = 5000;

    private readonly Channel<IntervalReading>[] _shards = Enumerable.Range(0, storage.Provider == DatabaseProvider.Postgres ? 2 : 1)
        .Select(_ => Channel.CreateBounded<IntervalReading>(new BoundedChannelOptions(100_000)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }))
        .ToArray();

    private readonly ConcurrentDictionary<Guid, (Instant At, long EnergyWh)> _latest = new();
    private readonly LatestStored _stored = new();
    private long _written;
    private long _duplicates;

    /// <summary>Readings written so far, and readings skipped because they were stored before.</summary>
    public (long Written, long Duplicates) Totals => (Interlocked.Read(ref _written), Interlocked.Read(ref _duplicates));

    /// <summary>Queues a reading; false (and counted) when it runs backwards against what the meter sent before.</summary>
    public async ValueTask<bool> AcceptAsync(string meterNumber, IntervalReading reading, CancellationToken ct)
    {
        var backwards = false;
        _latest.AddOrUpdate(reading.MeterId, (reading.At, reading.EnergyWh), (_, last) =>
        {
            if ((reading.At > last.At && reading.EnergyWh < last.EnergyWh) || (reading.At < last.At && reading.EnergyWh > last.EnergyWh))
            {
                backwards = true;
                return last;
            }
            return reading.At > last.At ? (reading.At, reading.EnergyWh) : last;
        });
        if (backwards)
        {
            rejections.Count(meterNumber, "register-backwards");
            return false;
        }
        await _shards[unchecked((uint)reading.MeterId.GetHashCode()) % (uint)_shards.Length].Writer.WriteAsync(reading, ct);
        return true;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_shards.Select(shard => Task.Run(() => WriteAllAsync(shard.Reader, stoppingToken), stoppingToken)));

    private async Task WriteAllAsync(ChannelReader<IntervalReading> queue, CancellationToken stoppingToken)
    {
        var batch = new List<IntervalReading>(MaxBatch);
        while (await queue.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.TryRead(out var r))
            {
                batch.Add(r);
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var inserted = await ReadingWriter.WriteAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), batch, _stored, stoppingToken);
                Interlocked.Add(ref _written, inserted);
                Interlocked.Add(ref _duplicates, batch.Count - inserted);
                batch.Clear();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the batch and try again: a database hiccup must not lose readings.
                logger.LogError(e, "Writing {Count} readings failed; retrying", batch.Count);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }
}
