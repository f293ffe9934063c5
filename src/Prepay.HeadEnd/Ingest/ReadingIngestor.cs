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
/// </summary>
public sealed class ReadingIngestor(IServiceScopeFactory scopes, RejectionCounter rejections, StorageOptions storage, IngestValidation validation,
    IClock clock, ILogger<ReadingIngestor> logger) : BackgroundService
{
    public const int MaxBatch = 5000;

    private readonly Channel<PendingReading>[] _shards = Enumerable.Range(0, storage.Provider == DatabaseProvider.Postgres ? 2 : 1)
        .Select(_ => Channel.CreateBounded<PendingReading>(new BoundedChannelOptions(100_000)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }))
        .ToArray();

    private readonly LatestStored _stored = new();
    private long _written;
    private long _duplicates;
    private long _estimated;

    /// <summary>Readings written so far (new or replacing an estimate), and readings skipped because they were stored before.</summary>
    public (long Written, long Duplicates) Totals => (Interlocked.Read(ref _written), Interlocked.Read(ref _duplicates));

    /// <summary>Estimates stored for gaps so far.</summary>
    public long Estimated => Interlocked.Read(ref _estimated);

    /// <summary>Queues a reading for validation and storage, stamped with when the head-end received it.</summary>
    public async ValueTask AcceptAsync(string meterNumber, IntervalReading reading, CancellationToken ct) =>
        await _shards[unchecked((uint)reading.MeterId.GetHashCode()) % (uint)_shards.Length].Writer
            .WriteAsync(new PendingReading(meterNumber, reading, clock.GetCurrentInstant()), ct);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_shards.Select(shard => Task.Run(() => WriteAllAsync(shard.Reader, stoppingToken), stoppingToken)));

    private async Task WriteAllAsync(ChannelReader<PendingReading> queue, CancellationToken stoppingToken)
    {
        var batch = new List<PendingReading>(MaxBatch);
        while (await queue.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < MaxBatch && queue.TryRead(out var r))
            {
                batch.Add(r);
            }
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
                var validated = await validation.ValidateAsync(db, batch, stoppingToken);
                var (inserted, replaced) = await ReadingWriter.WriteAsync(db, validated, clock.GetCurrentInstant(), _stored, stoppingToken);
                validation.Committed(validated);
                foreach (var meter in validated.Conflicts)
                {
                    rejections.Count(meter, "reading-conflict");
                }
                var real = inserted + replaced - validated.Estimates;
                Interlocked.Add(ref _written, real);
                Interlocked.Add(ref _estimated, validated.Estimates);
                Interlocked.Add(ref _duplicates, batch.Count - real - validated.Conflicts.Count);
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
