using System.Diagnostics;
using CsCheck;
using Prepay.Cli.Bench;

namespace Prepay.Cli.Tests.Bench;

public class PercentilesTests
{
    private static long Ms(long ms) => ms * Stopwatch.Frequency / 1000;

    [Fact]
    public void Nearest_rank_of_one_to_a_hundred_milliseconds_is_the_rank_itself()
    {
        var p = Percentiles.FromTicks([.. Enumerable.Range(1, 100).Select(i => Ms(i))]);

        Assert.Equal(100, p.Samples);
        Assert.Equal(50, p.P50Ms, 6);
        Assert.Equal(90, p.P90Ms, 6);
        Assert.Equal(99, p.P99Ms, 6);
        Assert.Equal(100, p.MaxMs, 6);
    }

    [Fact]
    public void The_order_the_samples_came_in_does_not_change_the_figures()
    {
        var ordered = Enumerable.Range(1, 1000).Select(i => Ms(i)).ToArray();
        var shuffled = ordered.OrderBy(t => (t * 7919) % 1009).ToArray();

        Assert.Equal(Percentiles.FromTicks(ordered), Percentiles.FromTicks(shuffled));
        Assert.Equal(990, Percentiles.FromTicks(shuffled).P99Ms, 6);
    }

    [Fact]
    public void With_ten_samples_the_p99_is_the_slowest_and_the_p90_the_ninth()
    {
        var p = Percentiles.FromTicks([Ms(5), Ms(1), Ms(9), Ms(3), Ms(7), Ms(2), Ms(10), Ms(4), Ms(8), Ms(6)]);

        Assert.Equal(5, p.P50Ms, 6);
        Assert.Equal(9, p.P90Ms, 6);
        Assert.Equal(10, p.P99Ms, 6);
    }

    [Fact]
    public void One_sample_is_every_percentile()
    {
        var p = Percentiles.FromTicks([Ms(42)]);

        Assert.Equal(new Percentiles(1, 42, 42, 42, 42), p);
    }

    [Fact]
    public void No_samples_give_zeros_rather_than_an_error()
    {
        Assert.Equal(new Percentiles(0, 0, 0, 0, 0), Percentiles.FromTicks([]));
    }

    [Fact]
    public void Figures_from_recorded_samples_match_figures_from_their_ticks()
    {
        var samples = new LatencySamples();
        foreach (var ms in new long[] { 12, 3, 40, 7 })
        {
            samples.Add(Ms(ms));
        }

        Assert.Equal(Percentiles.FromTicks([Ms(12), Ms(3), Ms(40), Ms(7)]), Percentiles.From(samples));
    }

    [Fact]
    public void Percentiles_never_decrease_and_each_is_a_measured_latency()
    {
        Gen.Long[1, 10_000_000].Array[1, 300].Sample(ticks =>
        {
            var p = Percentiles.FromTicks(ticks);
            var measured = ticks.Select(t => t * 1000.0 / Stopwatch.Frequency).ToHashSet();
            return p.P50Ms <= p.P90Ms && p.P90Ms <= p.P99Ms && p.P99Ms <= p.MaxMs
                && measured.Contains(p.P50Ms) && measured.Contains(p.P90Ms) && measured.Contains(p.P99Ms)
                && p.MaxMs == measured.Max() && p.Samples == ticks.Length;
        });
    }

    [Fact]
    public void Sorting_for_the_figures_leaves_the_callers_array_as_it_was()
    {
        long[] ticks = [Ms(3), Ms(1), Ms(2)];

        _ = Percentiles.FromTicks(ticks);

        Assert.Equal([Ms(3), Ms(1), Ms(2)], ticks);
    }

    [Fact]
    public void A_ratio_to_a_zero_reference_is_no_ratio()
    {
        Assert.Null(Percentiles.Ratio(5, 0));
        Assert.Equal(2.5, Percentiles.Ratio(5, 2));
    }
}
