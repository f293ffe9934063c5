using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Validation;
using Prepay.MeterData.Validation.Rules;
using static Prepay.MeterData.Tests.Readings;

namespace Prepay.MeterData.Tests.Validation;

/// <summary>Each rule once just inside its limit and once just outside it.</summary>
public sealed class RuleBoundaryTests
{
    [Fact]
    public void The_same_values_again_are_a_duplicate_and_other_values_a_conflict()
    {
        var held = History(Actual(0, 1000, 100));
        Assert.IsType<Duplicate>(Check(new SameIntervalRule(), Actual(0, 1000, 100), held));
        var conflict = Assert.IsType<Conflict>(Check(new SameIntervalRule(), Actual(0, 1001, 100), held));
        Assert.True(conflict.Suspect);
        Assert.Null(Check(new SameIntervalRule(), Actual(1, 1100, 100), held));
    }

    [Fact]
    public void Real_values_for_an_estimated_interval_replace_it()
    {
        var estimate = Estimate(0, 1000, 100);
        var outcome = Assert.IsType<ReplacesEstimate>(Check(new SameIntervalRule(), Actual(0, 1010, 110), History(estimate)));
        Assert.Same(estimate, outcome.Estimate);
        Assert.False(outcome.Suspect);
    }

    [Fact]
    public void A_reading_ending_up_to_the_tolerance_after_now_passes_and_one_tick_more_is_from_the_future()
    {
        var reading = Actual(4, 1000, 100);
        var limit = reading.End - Options.FutureTolerance;
        Assert.Null(Check(new FromTheFutureRule(), reading, now: limit));
        var outcome = Assert.IsType<FromTheFuture>(Check(new FromTheFutureRule(), reading, now: limit - Duration.Epsilon));
        Assert.Equal(Options.FutureTolerance + Duration.Epsilon, outcome.Ahead);
    }

    [Fact]
    public void A_meter_clock_within_the_tolerance_of_the_receive_time_passes_and_a_second_more_either_way_drifts()
    {
        var reading = Actual(4, 1000, 100);
        var received = reading.End + Duration.FromMinutes(1);
        var tolerance = Options.ClockDriftTolerance;
        Assert.Null(Check(new ClockDriftRule(), reading with { ReceivedAt = received, MeterClockAt = received + tolerance }));
        Assert.Null(Check(new ClockDriftRule(), reading with { ReceivedAt = received, MeterClockAt = received - tolerance }));
        var ahead = Assert.IsType<ClockDrift>(Check(new ClockDriftRule(), reading with { ReceivedAt = received, MeterClockAt = received + tolerance + Duration.FromSeconds(1) }));
        Assert.Equal(tolerance + Duration.FromSeconds(1), ahead.Drift);
        var behind = Assert.IsType<ClockDrift>(Check(new ClockDriftRule(), reading with { ReceivedAt = received, MeterClockAt = received - tolerance - Duration.FromSeconds(1) }));
        Assert.Equal(-(tolerance + Duration.FromSeconds(1)), behind.Drift);
    }

    [Fact]
    public void Without_the_meter_clock_an_interval_ending_after_its_receipt_by_more_than_the_tolerance_drifts_and_a_late_one_does_not()
    {
        var reading = Actual(4, 1000, 100);
        var tolerance = Options.ClockDriftTolerance;
        Assert.Null(Check(new ClockDriftRule(), reading with { ReceivedAt = reading.End - tolerance }));
        Assert.IsType<ClockDrift>(Check(new ClockDriftRule(), reading with { ReceivedAt = reading.End - tolerance - Duration.FromSeconds(1) }));
        Assert.Null(Check(new ClockDriftRule(), reading with { ReceivedAt = reading.End + Duration.FromDays(3) }));
    }

    [Fact]
    public void Interval_energy_up_to_the_rating_passes_and_one_watt_hour_more_is_a_spike()
    {
        // 100 A × 230 V × 900 s / 3600 = 5 750 Wh.
        Assert.Equal(new Energy(5750), Rating.MaxEnergy(Step));
        Assert.Null(Check(new SpikeRule(), Actual(1, null, 5750)));
        var spike = Assert.IsType<Spike>(Check(new SpikeRule(), Actual(1, null, 5751)));
        Assert.Equal(new Energy(5750), spike.Rating);
    }

    [Fact]
    public void A_register_only_meter_is_held_to_its_rating_over_the_time_since_its_previous_reading()
    {
        var held = History(Actual(0, 10_000, null));
        Assert.Null(Check(new SpikeRule(), Actual(2, 10_000 + 11_500, null), held));
        Assert.IsType<Spike>(Check(new SpikeRule(), Actual(2, 10_000 + 11_501, null), held));
    }

    [Fact]
    public void A_register_equal_to_the_previous_passes_and_one_lower_rolled_back()
    {
        var held = History(Actual(0, 50_000, 10));
        Assert.Null(Check(new RollBackRule(), Actual(1, 50_000, 0), held));
        var back = Assert.IsType<RollBack>(Check(new RollBackRule(), Actual(1, 49_999, 0), held));
        Assert.Equal((new Energy(50_000), new Energy(49_999)), (back.Earlier, back.Later));
        Assert.Null(Check(new RollOverRule(), Actual(1, 49_999, 0), held));
    }

    [Fact]
    public void A_register_wrapping_at_99999_9_kWh_rolled_over_and_its_true_delta_is_the_energy_through_zero()
    {
        // Shown as 99999.9 kWh, the register wraps at 100 000.0 kWh = 100 000 000 Wh.
        var held = History(Actual(0, 99_999_900, 50));
        var over = Assert.IsType<RollOver>(Check(new RollOverRule(), Actual(1, 200, 300), held));
        Assert.Equal(new Energy(300), over.TrueDelta);
        Assert.False(over.Suspect);
        Assert.Null(Check(new RollBackRule(), Actual(1, 200, 300), held));
        Assert.Null(Check(new SpikeRule(), Actual(1, 200, null), held));
    }

    [Fact]
    public void A_wrap_the_meter_could_have_measured_is_a_roll_over_and_one_watt_hour_more_is_a_roll_back()
    {
        var held = History(Actual(0, 99_999_000, 50));
        Assert.IsType<RollOver>(Check(new RollOverRule(), Actual(1, 4_750, null), held));      // 1 000 + 4 750 = 5 750 Wh
        Assert.Null(Check(new RollOverRule(), Actual(1, 4_751, null), held));
        Assert.IsType<RollBack>(Check(new RollBackRule(), Actual(1, 4_751, null), held));
    }

    [Fact]
    public void An_adjacent_reading_leaves_no_gap_and_one_missing_interval_is_a_gap_of_one()
    {
        var held = History(Actual(0, 1000, 100));
        Assert.Null(Check(new GapRule(), Actual(1, 1100, 100), held));
        var gap = Assert.IsType<Gap>(Check(new GapRule(), Actual(2, 1200, 100), held));
        Assert.Equal([new NodaTime.Interval(Start(1), Start(2))], gap.Missing);
        Assert.False(gap.Suspect);
    }

    [Fact]
    public void A_meters_first_reading_has_no_gap()
    {
        Assert.Null(Check(new GapRule(), Actual(9, 1000, 100)));
    }
}
