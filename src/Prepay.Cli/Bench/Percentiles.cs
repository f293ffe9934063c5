using System.Diagnostics;

namespace Prepay.Cli.Bench;

/// <summary>
/// p50, p90, p99 and max of a set of latencies in milliseconds, by nearest rank over every sample (no buckets, no
/// interpolation: each figure is a latency that was measured). All zero when there are no samples.
/// </summary>
public sealed record Percentiles(int Samples, double P50Ms, double P90Ms, double P99Ms, double MaxMs)
{
    public static Percentiles From(LatencySamples samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return FromTicks(samples.Ticks.ToArray());
    }

    /// <summary>From <see cref="Stopwatch"/> ticks, in any order.</summary>
    public static Percentiles FromTicks(long[] ticks)
    {
        ArgumentNullException.ThrowIfNull(ticks);
        var sorted = (long[])ticks.Clone();
        Array.Sort(sorted);
        return new Percentiles(sorted.Length,
            Ms(LatencySummary.Rank(sorted, 50)), Ms(LatencySummary.Rank(sorted, 90)), Ms(LatencySummary.Rank(sorted, 99)),
            Ms(sorted.Length == 0 ? 0 : sorted[^1]));
    }

    /// <summary>This run's figure over the reference's, or null when the reference is zero (nothing to compare with).</summary>
    public static double? Ratio(double measured, double reference) => reference > 0 ? measured / reference : null;

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
