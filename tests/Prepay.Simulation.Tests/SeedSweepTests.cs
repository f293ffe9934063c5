namespace Prepay.Simulation.Tests;

/// <summary>
/// The deterministic simulation's promise: a thousand seeds, each its own mix of lossy links, duplicated and
/// reordered messages, failing and slow writes, node crashes and skewed clocks, keep every invariant at every step
/// and settle with nothing lost.
/// </summary>
public sealed class SeedSweepTests
{
    [Fact]
    public void A_thousand_seeds_of_faults_keep_every_invariant_and_lose_nothing()
    {
        var results = Simulation.Sweep(1, 1_000, Guards.All, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1_000, results.Count);
        var failures = results.Where(r => !r.Passed).Select(r => r.Describe()).ToList();
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // The runs did what they are there to do: sold, dispatched, ingested, alerted and crashed, in every seed or across them.
        Assert.All(results, r => Assert.True(r.Counts.Vends > 0 && r.Counts.Commands >= r.Counts.Vends && r.Counts.Readings > 0, r.Describe()));
        Assert.True(results.Sum(r => r.Counts.Crashes) > 1_000, "nodes crashed");
        Assert.True(results.Count(r => r.Counts.Alerts > 0) > 500, "alerts were raised");
        Assert.True(results.Select(r => r.Trace).Distinct().Count() == results.Count, "every seed ran its own world");
    }

    [Fact]
    public void A_seed_runs_the_same_twice_event_for_event_and_another_seed_differently()
    {
        var first = Simulation.Run(new SimulationOptions { Seed = 424_242 });
        var again = Simulation.Run(new SimulationOptions { Seed = 424_242 });
        var other = Simulation.Run(new SimulationOptions { Seed = 424_243 });

        Assert.True(first.Passed, first.Describe());
        Assert.Equal(first.Trace, again.Trace);
        Assert.Equal(first.Steps, again.Steps);
        Assert.Equal(first.Counts, again.Counts);
        Assert.NotEqual(first.Trace, other.Trace);
    }
}
