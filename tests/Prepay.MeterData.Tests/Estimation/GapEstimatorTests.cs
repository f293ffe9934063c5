using CsCheck;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Estimation;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;
using static Prepay.MeterData.Tests.Readings;

namespace Prepay.MeterData.Tests.Estimation;

public sealed class GapEstimatorTests
{
    private static (Gap Gap, GapEstimate Estimate) EstimateBetween(MeterHistory history, IntervalReading after, VeeOptions? options = null)
    {
        var gap = Validate(after, history, options).Gap!;
        return (gap, GapEstimator.Estimate(gap, after, history, Rating, options ?? Options));
    }

    [Fact]
    public void A_gap_between_two_known_registers_is_spread_linearly_and_flagged_estimated()
    {
        // Register 1 000 at 00:15; 1 310 at 01:15 after a 10 Wh interval, so 1 300 at 01:00: 300 Wh over 3 intervals.
        var (_, estimate) = EstimateBetween(History(Actual(0, 1000, 100)), Actual(4, 1310, 10));
        var estimated = Assert.IsType<Estimated>(estimate);
        Assert.Equal(EstimationMethod.Linear, estimated.Method);
        Assert.Equal([100L, 100L, 100L], estimated.Readings.Select(r => r.Energy!.Value.WattHours));
        Assert.Equal([1100L, 1200L, 1300L], estimated.Readings.Select(r => r.Register!.Value.WattHours));
        Assert.All(estimated.Readings, r => Assert.Equal(ReadingSource.Estimated, r.Source));
        Assert.Equal([Start(1), Start(2), Start(3)], estimated.Readings.Select(r => r.Start));
    }

    [Fact]
    public void An_awkward_remainder_goes_to_the_same_intervals_every_time()
    {
        // 100 Wh over 3 intervals: ⌊100·1/3⌋ = 33, ⌊100·2/3⌋ − 33 = 33, 100 − 66 = 34.
        var shares = LinearSpread.Split(new Energy(100), [new Interval(Start(0), Start(1)), new Interval(Start(1), Start(2)), new Interval(Start(2), Start(3))]);
        Assert.Equal([33L, 33L, 34L], shares.Select(s => s.WattHours));
    }

    [Fact]
    public void Linear_estimates_sum_exactly_to_the_register_step_for_any_gap_and_delta()
    {
        // Any delta the meter could have measured in the gap (a wrap beyond that is a roll-back, not estimated linearly),
        // from anywhere on the register, so some gaps cross its wrap.
        var cases =
            from missing in Gen.Int[1, 672]
            from delta in Gen.Long[0, 5_750L * missing]
            from first in Gen.Long[0, Rating.RegisterCapacityWh - 1]
            from lastEnergy in Gen.Long[0, 5_750]
            select (missing, delta, first, lastEnergy);
        cases.Sample(t =>
            {
                var (missing, delta, from, lastEnergy) = t;
                var end = (from + delta + lastEnergy) % Rating.RegisterCapacityWh;
                var after = Actual(missing + 1, end, lastEnergy);
                var (gap, estimate) = EstimateBetween(History(Actual(0, from, 0)), after);
                var estimated = Assert.IsType<Estimated>(estimate);
                Assert.Equal(missing, estimated.Readings.Count);
                Assert.Equal(delta, estimated.Readings.Sum(r => r.Energy!.Value.WattHours));
                var floor = delta / missing;
                Assert.All(estimated.Readings, r => Assert.InRange(r.Energy!.Value.WattHours, floor, floor + 1));
                // The last estimate's register meets the register at the start of the reading after the gap.
                Assert.Equal((end - lastEnergy + Rating.RegisterCapacityWh) % Rating.RegisterCapacityWh, estimated.Readings[^1].Register!.Value.WattHours);
                Assert.Equal(gap.Missing.Select(m => m.Start), estimated.Readings.Select(r => r.Start));
            });
    }

    [Fact]
    public void A_gap_across_the_registers_wrap_is_spread_over_the_true_step()
    {
        var (_, estimate) = EstimateBetween(History(Actual(0, 99_999_900, 0)), Actual(3, 200, 100));
        var estimated = Assert.IsType<Estimated>(estimate);
        Assert.Equal([100L, 100L], estimated.Readings.Select(r => r.Energy!.Value.WattHours));
        Assert.Equal([0L, 100L], estimated.Readings.Select(r => r.Register!.Value.WattHours));
    }

    [Fact]
    public void Without_the_register_the_gap_takes_last_weeks_intervals_and_else_yesterdays()
    {
        var day = 96;
        var history = History(
            Actual(7 * day + 0 - 7 * day, null, 11), Actual(7 * day + 1 - 7 * day, null, 12),   // a week before intervals 0 and 1
            Actual(7 * day + 2 - day, null, 23),                                             // the day before interval 2
            Actual(7 * day - 1, null, 5));
        var (_, estimate) = EstimateBetween(history, Actual(7 * day + 3, null, 40));
        var estimated = Assert.IsType<Estimated>(estimate);
        Assert.Equal(EstimationMethod.Profile, estimated.Method);
        Assert.Equal([11L, 12L, 23L], estimated.Readings.Select(r => r.Energy!.Value.WattHours));
        Assert.All(estimated.Readings, r => Assert.Equal(ReadingSource.Estimated, r.Source));
    }

    [Fact]
    public void A_gap_with_no_register_and_no_profile_is_reported_not_invented()
    {
        var (_, estimate) = EstimateBetween(History(Actual(0, null, 10)), Actual(3, null, 10));
        Assert.Equal(NotEstimated.NoProfile, Assert.IsType<NotEstimated>(estimate).Reason);
    }

    [Fact]
    public void Estimation_switched_off_or_a_gap_over_the_limit_estimates_nothing()
    {
        Assert.Equal(NotEstimated.Disabled, Assert.IsType<NotEstimated>(EstimateBetween(History(Actual(0, 1000, 0)), Actual(3, 1300, 100), Options with { Estimate = false }).Estimate).Reason);
        var week = (int)(Options.MaxGapToEstimate / Step);
        Assert.IsType<Estimated>(EstimateBetween(History(Actual(0, 1000, 0)), Actual(week + 1, 1300, 100)).Estimate);
        Assert.Equal(NotEstimated.TooLong, Assert.IsType<NotEstimated>(EstimateBetween(History(Actual(0, 1000, 0)), Actual(week + 2, 1300, 100)).Estimate).Reason);
    }
}
