using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;

namespace Prepay.HeadEnd.Ingest;

/// <summary>
/// Collects meters' statuses and command acknowledgements from every ingest lane and writes them in batches, each in
/// one transaction (<see cref="StatusAndAckBatch"/>): when 10,000 meters come online at once, their statuses cost a
/// few statements instead of 10,000 round trips, and an acknowledgement waits for one batch, not for every status
/// queued before it. A batch is whatever queued while the previous one was being written (up to
/// <see cref="MaxBatch"/>): the first item after a quiet spell is written at once, without a delay to gather more.
/// <para>
/// Each item's task completes when its batch has committed, and fails when it could not be written, so a transport
/// acknowledges the message (an MQTT PUBACK, <see cref="Handled.Stored"/>) only once what it carries is stored. A
/// batch is tried again while the database is unavailable (a failover), and a batch the database refuses is written
/// again item by item, so that one item it refuses fails only its own message.
/// Items of one meter keep the order they were queued in: a lane queues a meter's messages one after another, and a
/// batch merges several statuses of one meter in that order.
/// </para>
/// </summary>
public sealed class StatusAndAckWriter(IServiceScopeFactory scopes, IClock clock, ILogger<StatusAndAckWriter> logger) : BackgroundService
{
    /// <summary>Most items in one batch (10 parameters a status: well below either database's limit).</summary>
    public const int MaxBatch = 1000;

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private long _settled;
    private long _taken;

    /// <summary>Raised after a batch whose acknowledgements closed at least one command has committed.</summary>
    public event Action? CommandClosed;

    /// <summary>Statuses and acknowledgements queued now, not yet taken into a batch (a metric).</summary>
    public int Waiting => _queue.Reader.Count;

    /// <summary>Items whose batch has committed or failed since start (tests wait for it).</summary>
    public long Settled => Interlocked.Read(ref _settled);

    /// <summary>Batches taken off the queue to be written since start (tests wait for one to be under way).</summary>
    public long BatchesTaken => Interlocked.Read(ref _taken);

    /// <summary>
    /// Queues a meter's status, stamped with when the head-end received it; the task completes when it is committed.
    /// A value left null keeps what is stored; the displayed balance is replaced whole or kept whole.
    /// </summary>
    public ValueTask<Task> StatusAsync(Guid meterId, MeterStatus status, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(status);
        var shown = status.DisplayedBalance;
        var row = new StatusRow(meterId, status.Online, clock.GetCurrentInstant().ToUnixTimeTicks(), status.Relay, status.Credit?.WattHours,
            status.Register?.WattHours, status.KeyRevision, shown?.Balance.Minor, shown?.Balance.Currency.Code, shown?.AsOf.ToUnixTimeTicks());
        return EnqueueAsync(row, null, ct);
    }

    /// <summary>
    /// Queues a meter's acknowledgement of a command, stamped with when the head-end received it; the task completes
    /// when it is committed (whether or not it changed the command: only one of that meter still open changes).
    /// </summary>
    public ValueTask<Task> AcknowledgeAsync(string meterNumber, CommandAcknowledgement ack, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ack);
        return EnqueueAsync(null, new AckRow(meterNumber, ack, clock.GetCurrentInstant()), ct);
    }

    private async ValueTask<Task> EnqueueAsync(StatusRow? status, AckRow? ack, CancellationToken ct)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _queue.Writer.WriteAsync(new Pending(status, ack, done), ct);
        }
        catch (ChannelClosedException)
        {
            // The writer has stopped (the node is stopping): nothing will commit it, so nothing may say it did.
            return Task.FromCanceled(new CancellationToken(canceled: true));
        }
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                Interlocked.Increment(ref _taken);
                await WriteOrIsolateAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        finally
        {
            // Stopping: nothing still queued is committed, so no task may say it is.
            _queue.Writer.TryComplete();
            batch.ForEach(p => p.Done.TrySetCanceled(CancellationToken.None));
            while (_queue.Reader.TryRead(out var left))
            {
                left.Done.TrySetCanceled(CancellationToken.None);
            }
        }
    }

    /// <summary>The wait before writing a batch again while the database is unavailable (<see cref="WriteTransactions.UnavailableRetryDelay"/>).</summary>
    public static TimeSpan RetryDelay(int failures) => WriteTransactions.UnavailableRetryDelay(failures);

    private long _retries;

    /// <summary>Times a batch was written again because the database was unavailable, since start.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>
    /// Writes a batch, trying again for as long as the database is unavailable (a failover, a restart, a cut
    /// connection; <see cref="WriteTransactions.IsUnavailable"/>): its messages stay unacknowledged meanwhile, and the
    /// queue filling up holds the lanes and with them the broker's deliveries back, so nothing is dropped and nothing
    /// waits for the meter to reconnect. A batch the database refuses for what it holds is written item by item.
    /// </summary>
    private async Task WriteOrIsolateAsync(IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        for (var failures = 0; ; failures++)
        {
            try
            {
                await WriteOrIsolateOnceAsync(batch, ct);
                if (failures > 0)
                {
                    logger.LogInformation("Statuses and acknowledgements are written again, after {Failures} tries", failures + 1);
                }
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && WriteTransactions.IsUnavailable(e))
            {
                if (failures == 0)
                {
                    logger.LogWarning("Writing {Count} statuses and acknowledgements failed ({Message}): the database is unavailable; trying again, their messages unacknowledged until then",
                        batch.Count, e.Message);
                }
                Interlocked.Increment(ref _retries);
                await Task.Delay(RetryDelay(failures + 1), ct);
            }
        }
    }

    private async Task WriteOrIsolateOnceAsync(IReadOnlyList<Pending> batch, CancellationToken ct)
    {
        bool closed;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            closed = await StatusAndAckBatch.WriteAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), batch, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && !WriteTransactions.IsUnavailable(e))
        {
            if (batch.Count > 1)
            {
                logger.LogWarning("Writing {Count} statuses and acknowledgements together failed ({Message}); writing each alone", batch.Count, e.Message);
                foreach (var item in batch)
                {
                    // Alone, an item still waits out an unavailable database like any batch.
                    await WriteOrIsolateAsync([item], ct);
                }
                return;
            }
            logger.LogWarning("Writing a meter's {Kind} failed ({Message}); its message is not acknowledged", batch[0].Status is null ? "acknowledgement" : "status", e.Message);
            batch[0].Done.TrySetException(e);
            Interlocked.Increment(ref _settled);
            return;
        }
        if (closed)
        {
            CommandClosed?.Invoke();
        }
        foreach (var item in batch)
        {
            item.Done.TrySetResult();
        }
        Interlocked.Add(ref _settled, batch.Count);
    }
}

/// <summary>A status or an acknowledgement to write, and what completes once it is committed.</summary>
internal readonly record struct Pending(StatusRow? Status, AckRow? Ack, TaskCompletionSource Done);

/// <summary>A meter's status as <c>meter_status</c> holds it; nulls keep the stored values.</summary>
internal sealed record StatusRow(Guid MeterId, bool Online, long LastSeenAt, string? Relay, long? CreditWh, long? EnergyWh, int? KeyRevision,
    long? ShownMinor, string? ShownCurrency, long? ShownAt)
{
    /// <summary>
    /// This status followed by <paramref name="later"/>, as writing both one after the other would leave the row:
    /// field by field the later value unless it is null; the displayed balance as one value.
    /// </summary>
    public StatusRow Then(StatusRow later) => new(MeterId, later.Online, later.LastSeenAt, later.Relay ?? Relay, later.CreditWh ?? CreditWh,
        later.EnergyWh ?? EnergyWh, later.KeyRevision ?? KeyRevision,
        later.ShownAt is null ? ShownMinor : later.ShownMinor, later.ShownAt is null ? ShownCurrency : later.ShownCurrency, later.ShownAt ?? ShownAt);
}

/// <summary>A meter's acknowledgement of a command and when the head-end received it.</summary>
internal sealed record AckRow(string MeterNumber, CommandAcknowledgement Ack, Instant ReceivedAt);
