using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Tests.Fleets;

namespace Prepay.RevenueProtection.Tests;

/// <summary>
/// Precision and recall of every detector on fleets of real virtual meters with faults injected (tamper, a bypass,
/// a bridged relay, persistent overload, bad voltage, a dead modem, a feeder outage, credit sold and never registered,
/// credit registered and never sold, tokens out of sequence) beside harmless look-alikes. The thresholds were set on
/// fleets of seeds 1 to 3; these are seeds 101 to 110, which they were not set on. The aim is 0.95 for each kind.
/// </summary>
public sealed class DetectionOnFaultFleetsTests
{
    [Fact]
    public void Every_kind_is_found_with_precision_and_recall_of_at_least_0_95_on_fleets_the_detectors_were_not_tuned_on()
    {
        var fleets = new FaultFleet[10];
        Parallel.For(0, fleets.Length, new ParallelOptions { CancellationToken = TestContext.Current.CancellationToken }, i => fleets[i] = FaultFleet.Build(101 + i));

        var score = DetectionScore.Measure(fleets);

        TestContext.Current.TestOutputHelper?.WriteLine($"{fleets.Sum(f => f.Sites.Sum(s => s.Meters.Count))} meters in {fleets.Sum(f => f.Sites.Count)} sites over {fleets[0].Window.Duration.Days} days, seeds 101 to 110");
        TestContext.Current.TestOutputHelper?.WriteLine(score.Table());
        foreach (var miss in score.Misses)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(miss);
        }
        Assert.All(DetectionScore.Measured, kind =>
        {
            Assert.True(score.Injected(kind) >= 10, $"{kind}: only {score.Injected(kind)} injected, too few to measure");
            Assert.True(score.Precision(kind) >= 0.95 && score.Recall(kind) >= 0.95, $"{kind}: precision {score.Precision(kind):0.000}, recall {score.Recall(kind):0.000}");
        });
    }
}
