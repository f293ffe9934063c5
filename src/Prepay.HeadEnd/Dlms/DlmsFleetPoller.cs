using System.Collections.Concurrent;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>What one meter's run came to: the work's outcome, or why no session could be opened.</summary>
public sealed record DlmsMeterRun<T>(MeterNumber Meter, DlmsOutcome<T> Outcome);

/// <summary>Progress of a fleet run: meters finished so far, of how many, and how many of those failed.</summary>
public readonly record struct DlmsFleetProgress(int Done, int Total, int Failed);

/// <summary>
/// Runs one piece of work against many meters: at most <see cref="MaxConcurrentMeters"/> sessions at once, each
/// meter's work strictly one after the other (a meter has one port and serves one association at a time), one
/// session per meter and run (open, work, release). Returns one outcome per meter, in the order given; a failure
/// on one meter is its outcome and never stops the others.
/// </summary>
public sealed class DlmsFleetPoller
{
    private readonly IDlmsKeyProvider _keys;
    private readonly DlmsCounterDirectory _counters;
    private readonly ConcurrentDictionary<MeterNumber, SemaphoreSlim> _meterGates = new();

    public DlmsFleetPoller(IDlmsKeyProvider keys, DlmsCounterDirectory counters, int maxConcurrentMeters = 32)
    {
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentMeters, 1);
        MaxConcurrentMeters = maxConcurrentMeters;
    }

    public int MaxConcurrentMeters { get; }

    public async Task<IReadOnlyList<DlmsMeterRun<T>>> RunAsync<T>(IReadOnlyList<DlmsMeterEndpoint> meters,
        Func<DlmsMeterSession, CancellationToken, Task<DlmsOutcome<T>>> work, IProgress<DlmsFleetProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(work);
        var results = new DlmsMeterRun<T>[meters.Count];
        int done = 0;
        int failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentMeters, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, meters.Count), parallel, async (index, ct) =>
        {
            var endpoint = meters[index];
            var outcome = await RunOneAsync(endpoint, work, ct).ConfigureAwait(false);
            results[index] = new DlmsMeterRun<T>(endpoint.Meter, outcome);
            int failures = outcome.IsSuccess ? Volatile.Read(ref failed) : Interlocked.Increment(ref failed);
            progress?.Report(new DlmsFleetProgress(Interlocked.Increment(ref done), meters.Count, failures));
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// Work on what the head-end knows of one meter without a session (a push it sent), in turn with that meter's
    /// sessions: what a read derives from the stored state is never derived twice.
    /// </summary>
    public async Task InTurnAsync(MeterNumber meter, Func<CancellationToken, Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var gate = _meterGates.GetOrAdd(meter, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>One meter: wait for its earlier work, open, work, release.</summary>
    public async Task<DlmsOutcome<T>> RunOneAsync<T>(DlmsMeterEndpoint endpoint, Func<DlmsMeterSession, CancellationToken, Task<DlmsOutcome<T>>> work,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(work);
        var gate = _meterGates.GetOrAdd(endpoint.Meter, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var opened = await DlmsMeterSession.OpenAsync(endpoint, _keys, _counters, cancellationToken).ConfigureAwait(false);
            if (opened is not DlmsOutcome<DlmsMeterSession>.Succeeded { Value: var session })
            {
                return opened.Failure<T>();
            }
            await using (session.ConfigureAwait(false))
            {
                var outcome = await work(session, cancellationToken).ConfigureAwait(false);
                // The work's outcome stands whether or not the release is answered: what was done was done.
                await session.CloseAsync(cancellationToken).ConfigureAwait(false);
                return outcome;
            }
        }
        finally
        {
            gate.Release();
        }
    }
}
