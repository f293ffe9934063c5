using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Ingest.Quality;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Collects accepted readings from all meters and writes them in batches (up to <see cref="MaxBatch"/> rows: whatever
/// queued while the previous batch was being written) through <see cref="ReadingWriter"/>, each batch validated
/// first (<see cref="IngestValidation"/>): every reading stored with its quality, a register running backwards or a
/// spike kept as <c>suspect</c> under its rule, a resend dropped, other values for a stored interval refused and
/// counted (<c>reading-conflict</c>), gaps estimated and estimates replaced when the real values arrive.
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
public sealed class ReadingIngestor(IServiceScopeFactory scopes, RejectionCounter rejections, StorageOptions storage, IngestValidation validation,
    IClock clock, ILogger<ReadingIngestor> logger) : BackgroundService
{
    public const int MaxBatch = 5000;

    private readonly Channel<Queued>[] _shards = Enumerable.Range(0, storage.Provider == DatabaseProvider.Postgres ? 2 : 1)
        .Select(_ => Channel.CreateBounded<Queued>(new BoundedChannelOptions(100_000)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }))
        .ToArray();

    private readonly LatestStored _stored = new();
    private long _accepted;
    private long _settled;
    private long _written;
    private long _duplicates;
    private long _estimated;

    /// <summary>Readings written so far (new or replacing an estimate), and readings skipped because they were stored before.</summary>
    public (long Written, long Duplicates) Totals => (Interlocked.Read(ref _written), Interlocked.Read(ref _duplicates));

    /// <summary>Estimates stored for gaps so far (not those that met a stored reading and were not needed).</summary>
    public long Estimated => Interlocked.Read(ref _estimated);

    /// <summary>Readings accepted into the queue since start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Accepted readings whose batch has committed (written, dropped as a resend, or refused as a conflict).</summary>
    public long Settled => Interlocked.Read(ref _settled);

    /// <summary>Queues a reading for validation and storage, stamped with when the head-end received it.</summary>
    public async ValueTask AcceptAsync(string meterNumber, IntervalReading reading, CancellationToken ct)
    {
        await ShardOf(reading.MeterId).Writer.WriteAsync(new Queued(new PendingReading(meterNumber, reading, clock.GetCurrentInstant()), null), ct);
        Interlocked.Increment(ref _accepted);
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
    private readonly record struct Queued(PendingReading? Reading, TaskCompletionSource? Marker);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_shards.Select(shard => Task.Run(() => WriteAllAsync(shard.Reader, stoppingToken), stoppingToken)));

    private async Task WriteAllAsync(ChannelReader<Queued> queue, CancellationToken stoppingToken)
    {
        var batch = new List<PendingReading>(MaxBatch);
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
                        await WriteAsync(batch, stoppingToken);
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

    private async Task WriteAsync(List<PendingReading> batch, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var validated = await validation.ValidateAsync(db, batch, stoppingToken);
        var written = await ReadingWriter.WriteAsync(db, validated, clock.GetCurrentInstant(), _stored, stoppingToken);
        validation.Committed(validated);
        foreach (var meter in validated.Conflicts)
        {
            rejections.Count(meter, "reading-conflict");
        }
        // Counted from what the database stored, not from what validation meant to store: an estimate that met a
        // stored row (another node's real reading, or its estimate) was not stored, and it is no reading the meter
        // sent, so it is neither an estimate nor a duplicate. Every reading of the batch that was not stored and not
        // refused as a conflict was there already: a duplicate.
        Interlocked.Add(ref _written, written.RealWritten);
        Interlocked.Add(ref _estimated, written.Estimates);
        Interlocked.Add(ref _duplicates, batch.Count - written.RealWritten - validated.Conflicts.Count);
        Interlocked.Add(ref _settled, batch.Count);
    }
}
