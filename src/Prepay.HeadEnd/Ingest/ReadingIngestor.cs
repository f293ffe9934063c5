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
/// <para>
/// A transport must not tell a meter's side that a message is delivered before its readings are committed: a crash in
/// between would lose them. <see cref="StoredAsync"/> puts a marker behind a meter's readings in its shard; the writer
/// completes it once every batch before it has committed (each shard writes its batches one after another, in order).
/// </para>
/// </summary>
public sealed class ReadingIngestor(IServiceScopeFactory scopes, RejectionCounter rejections, StorageOptions storage, ILogger<ReadingIngestor> logger) : BackgroundService
{
    public const int MaxBatch = 5000;

    private readonly Channel<Queued>[] _shards = Enumerable.Range(0, storage.Provider == DatabaseProvider.Postgres ? 2 : 1)
        .Select(_ => Channel.CreateBounded<Queued>(new BoundedChannelOptions(100_000)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }))
        .ToArray();

    private readonly ConcurrentDictionary<Guid, (Instant At, long EnergyWh)> _latest = new();
    private readonly LatestStored _stored = new();
    private long _accepted;
    private long _written;
    private long _duplicates;

    /// <summary>Readings written so far, and readings skipped because they were stored before.</summary>
    public (long Written, long Duplicates) Totals => (Interlocked.Read(ref _written), Interlocked.Read(ref _duplicates));

    /// <summary>Readings accepted into the queue since start: with <see cref="Totals"/>, how many wait to be written.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

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
        await ShardOf(reading.MeterId).Writer.WriteAsync(new Queued(reading, null), ct);
        Interlocked.Increment(ref _accepted);
        return true;
    }

    /// <summary>
    /// A task that completes when every reading of <paramref name="meterId"/> accepted so far is committed, and is
    /// cancelled if this node stops first (what it carried is then for the broker to deliver again).
    /// </summary>
    public async ValueTask<Task> StoredAsync(Guid meterId, CancellationToken ct)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await ShardOf(meterId).Writer.WriteAsync(new Queued(null, marker), ct);
        return marker.Task;
    }

    private Channel<Queued> ShardOf(Guid meterId) => _shards[unchecked((uint)meterId.GetHashCode()) % (uint)_shards.Length];

    /// <summary>A reading to write, or a marker to complete once what was queued before it is written.</summary>
    private readonly record struct Queued(IntervalReading? Reading, TaskCompletionSource? Marker);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_shards.Select(shard => Task.Run(() => WriteAllAsync(shard.Reader, stoppingToken), stoppingToken)));

    private async Task WriteAllAsync(ChannelReader<Queued> queue, CancellationToken stoppingToken)
    {
        var batch = new List<IntervalReading>(MaxBatch);
        var markers = new List<TaskCompletionSource>();
        try
        {
            while (await queue.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && queue.TryRead(out var item))
                {
                    if (item.Reading is { } reading)
                    {
                        batch.Add(reading);
                    }
                    else
                    {
                        markers.Add(item.Marker!);
                    }
                }
                try
                {
                    if (batch.Count > 0)
                    {
                        await using var scope = scopes.CreateAsyncScope();
                        var inserted = await ReadingWriter.WriteAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), batch, _stored, stoppingToken);
                        Interlocked.Add(ref _written, inserted);
                        Interlocked.Add(ref _duplicates, batch.Count - inserted);
                        batch.Clear();
                    }
                    markers.ForEach(m => m.TrySetResult());
                    markers.Clear();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Keep the batch and try again: a database hiccup must not lose readings.
                    logger.LogError(e, "Writing {Count} readings failed; retrying", batch.Count);
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        finally
        {
            // Stopping: nothing still queued is committed, so no marker may say it is.
            markers.ForEach(m => m.TrySetCanceled(CancellationToken.None));
            while (queue.TryRead(out var left))
            {
                left.Marker?.TrySetCanceled(CancellationToken.None);
            }
        }
    }
}
