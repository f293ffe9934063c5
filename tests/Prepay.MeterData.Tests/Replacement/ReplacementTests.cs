using CsCheck;
using Prepay.MeterData.Estimation;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Replacement;
using Prepay.MeterData.Validation;
using static Prepay.MeterData.Tests.Readings;

namespace Prepay.MeterData.Tests.Replacement;

public sealed class ReplacementTests
{
    [Fact]
    public void The_adjustment_is_the_real_energy_minus_the_estimate()
    {
        var adjustment = Replacements.Replace(Estimate(3, 1300, 100), Actual(3, 1280, 80));
        Assert.Equal(-20, adjustment.Difference.WattHours);
        Assert.Equal(new NodaTime.Interval(Start(3), Start(4)), adjustment.Interval);
    }

    [Fact]
    public void Only_an_estimate_is_replaced_and_only_by_its_own_interval()
    {
        Assert.Throws<ArgumentException>(() => Replacements.Replace(Actual(3, 1300, 100), Actual(3, 1280, 80)));
        Assert.Throws<ArgumentException>(() => Replacements.Replace(Estimate(3, 1300, 100), Actual(4, 1280, 80)));
    }

    [Fact]
    public void After_every_estimate_is_replaced_the_estimates_and_adjustments_add_up_to_the_real_consumption()
    {
        var cases =
            from missing in Gen.Int[1, 200]
            from delta in Gen.Long[0, 2_000_000]
            from real in Gen.Long[0, 5_750].Array[missing]
            select (missing, delta, real);
        cases.Sample(t =>
            {
                var (missing, delta, real) = t;
                var history = History(Actual(0, 1_000, 0));
                var after = Actual(missing + 1, 1_000 + delta, 0);
                var gap = Validate(after, history).Gap!;
                var estimates = Assert.IsType<Estimated>(GapEstimator.Estimate(gap, after, history, Rating, Options)).Readings;
                var actuals = real.Select((e, i) => Actual(i + 1, null, e)).ToArray();

                // Each arrives and is validated against the history holding the estimates: it replaces its estimate.
                var held = new MeterHistory(history.Readings.Concat(estimates).Append(after));
                Assert.All(actuals, a => Assert.Same(estimates[a.Start == Start(1) ? 0 : (int)((a.Start - Start(1)) / Step)], Validate(a, held).ReplacedEstimate));

                var adjustments = Replacements.ReplaceAll(estimates, actuals);
                Assert.Equal(missing, adjustments.Count);
                for (var i = 0; i < missing; i++)
                {
                    Assert.Equal(real[i] - estimates[i].Energy!.Value.WattHours, adjustments[i].Difference.WattHours);
                }
                Assert.Equal(real.Sum(), estimates.Sum(e => e.Energy!.Value.WattHours) + adjustments.Sum(a => a.Difference.WattHours));
            });
    }
}
