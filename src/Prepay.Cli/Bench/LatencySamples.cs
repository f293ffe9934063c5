using System.Diagnostics;

namespace Prepay.Cli.Bench;

/// <summary>
/// One client's request latencies in <see cref="Stopwatch"/> ticks. Each client owns its buffer, so recording takes
/// no lock; the buffers are merged once, after the run, and percentiles are read from every sample (no buckets).
/// </summary>
public sealed class LatencySamples
{
    private long[] _ticks;

    public LatencySamples(int capacity = 16_384) => _ticks = new long[Math.Max(16, capacity)];

    public int Count { get; private set; }

    public void Add(long ticks)
    {
        if (Count == _ticks.Length)
        {
            Array.Resize(ref _ticks, checked(_ticks.Length * 2));
        }
        _ticks[Count++] = ticks;
    }

    public ReadOnlySpan<long> Ticks => _ticks.AsSpan(0, Count);

    public static LatencySamples Merge(IEnumerable<LatencySamples> parts)
    {
        var list = parts.ToList();
        var merged = new LatencySamples(list.Sum(p => p.Count));
        foreach (var p in list)
        {
            foreach (var t in p.Ticks)
            {
                merged.Add(t);
            }
        }
        return merged;
    }
}

/// <summary>p50, p99 and max of a run in milliseconds, by nearest rank over all samples (0 when there are none).</summary>
public sealed record LatencySummary(int Samples, double P50Ms, double P99Ms, double MaxMs)
{
    public static LatencySummary From(LatencySamples samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var sorted = samples.Ticks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(sorted.Length, Ms(Rank(sorted, 50)), Ms(Rank(sorted, 99)), Ms(sorted.Length == 0 ? 0 : sorted[^1]));
    }

    /// <summary>Nearest rank: the smallest sample with at least p% of the samples at or below it.</summary>
    internal static long Rank(long[] sorted, int percent)
    {
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
