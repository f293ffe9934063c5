using NodaTime;

namespace Prepay.Simulation;

/// <summary>
/// Simulated time and the one seeded source of choice. Events run one at a time in (instant, order of scheduling):
/// nothing runs concurrently and nothing reads the machine's clock, so a seed's run is the same on every machine.
/// Each event folds its instant and label into <see cref="Trace"/>, which two runs of one seed must agree on.
/// </summary>
internal sealed class Scheduler(Instant start, long seed)
{
    private readonly PriorityQueue<(string Label, Action Run), (Instant At, long Order)> _queue = new();
    private long _order;

    public Instant Now { get; private set; } = start;

    /// <summary>Events run so far.</summary>
    public long Step { get; private set; }

    /// <summary>The label of the event running now.</summary>
    public string Current { get; private set; } = "start";

    /// <summary>Every choice of the run comes from here (seeded: the same choices in the same order on every run).</summary>
    public Random Random { get; } = new(unchecked((int)(seed ^ (seed >> 32))));

    /// <summary>A running FNV-1a hash of every event's instant and label.</summary>
    public ulong Trace { get; private set; } = 14695981039346656037UL;

    public int Pending => _queue.Count;

    public void At(Instant at, string label, Action run) =>
        _queue.Enqueue((label, run), (at < Now ? Now : at, _order++));

    public void After(Duration delay, string label, Action run) => At(Now + delay, label, run);

    /// <summary>Runs the next event due at or before <paramref name="until"/>; false when there is none.</summary>
    public bool RunNext(Instant until)
    {
        if (!_queue.TryPeek(out _, out var due) || due.At > until)
        {
            return false;
        }
        var (label, run) = _queue.Dequeue();
        Now = due.At;
        Step++;
        Current = label;
        Fold(Now.ToUnixTimeTicks());
        foreach (var c in label)
        {
            Fold(c);
        }
        run();
        return true;
    }

    public bool Chance(double probability) => probability > 0 && Random.NextDouble() < probability;

    public Duration Between(Duration least, Duration most) =>
        least + Duration.FromTicks((long)(Random.NextDouble() * (most - least).BclCompatibleTicks));

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    private void Fold(long value)
    {
        unchecked
        {
            Trace = (Trace ^ (ulong)value) * 1099511628211UL;
        }
    }
}
