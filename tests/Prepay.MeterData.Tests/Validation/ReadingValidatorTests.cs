using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;
using Prepay.MeterData.Validation.Rules;
using static Prepay.MeterData.Tests.Readings;

namespace Prepay.MeterData.Tests.Validation;

public sealed class ReadingValidatorTests
{
    [Fact]
    public void A_reading_that_follows_its_predecessor_within_the_rating_is_valid()
    {
        var result = Validate(Actual(1, 1100, 100), History(Actual(0, 1000, 100)));
        Assert.IsType<Valid>(Assert.Single(result.Outcomes));
        Assert.Equal(ReadingQuality.Valid, result.Quality);
        Assert.Null(result.QualityRule);
    }

    [Fact]
    public void A_resent_reading_is_a_duplicate_every_time_and_changes_nothing()
    {
        var history = History(Actual(0, 1000, 100), Actual(1, 1100, 100));
        var first = Validate(Actual(1, 1100, 100), history);
        var again = Validate(Actual(1, 1100, 100), history.With(Actual(1, 1100, 100)));
        Assert.True(first.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.IsType<Duplicate>(Assert.Single(first.Outcomes));
        Assert.Equal(history.Readings, history.With(Actual(1, 1100, 100)).Readings);
    }

    [Fact]
    public void A_conflicting_reading_is_suspect_under_the_rule_that_found_it()
    {
        var result = Validate(Actual(1, 1150, 150), History(Actual(0, 1000, 100), Actual(1, 1100, 100)));
        Assert.Equal(ReadingQuality.Suspect, result.Quality);
        Assert.Equal(SameIntervalRule.Name, result.QualityRule);
    }

    [Fact]
    public void A_reading_arriving_after_a_later_one_is_checked_against_its_own_neighbours()
    {
        var history = History(Actual(0, 1000, 100), Actual(2, 1300, 100));
        var fits = Validate(Actual(1, 1200, 200), history);
        Assert.IsType<Valid>(Assert.Single(fits.Outcomes));

        // Above the later reading's register: the register would have to run back between them.
        var tooHigh = Validate(Actual(1, 1350, 350), history);
        var back = Assert.IsType<RollBack>(tooHigh.FirstSuspect);
        Assert.Equal((1350L, 1300L), (back.Earlier.WattHours, back.Later.WattHours));

        // Against the earlier neighbour only, it would be a gap-free, forward step: no gap reported for it.
        Assert.Null(tooHigh.Gap);
    }

    [Fact]
    public void A_reading_after_missing_intervals_is_valid_and_reports_the_gap()
    {
        var result = Validate(Actual(4, 1400, 100), History(Actual(0, 1000, 100)));
        Assert.False(result.IsSuspect);
        Assert.Equal(3, result.Gap!.Missing.Count);
        Assert.Equal(ReadingQuality.Valid, result.Quality);
    }

    [Fact]
    public void A_suspect_neighbour_is_not_trusted_by_the_register_checks()
    {
        var spike = Actual(1, 9_000, 8_000) with { Suspect = true };
        var result = Validate(Actual(2, 1_100, 100), History(Actual(0, 1_000, 100), spike));
        Assert.IsType<Valid>(Assert.Single(result.Outcomes));
        Assert.IsType<RollBack>(Validate(Actual(2, 1_100, 100), History(Actual(0, 1_000, 100), Actual(1, 9_000, 8_000))).FirstSuspect);
    }

    [Fact]
    public void A_history_keeps_its_readings_in_order_one_per_interval_whatever_order_they_are_added_in()
    {
        var history = MeterHistory.Empty.With(Actual(3, 1300, 100)).With(Actual(0, 1000, 100)).With(Actual(2, 1200, 100)).With(Estimate(1, 1100, 100)).With(Actual(1, 1110, 110));
        Assert.Equal([Start(0), Start(1), Start(2), Start(3)], history.Readings.Select(r => r.Start));
        Assert.Equal(ReadingSource.Actual, history.At(Start(1))!.Source);
        Assert.Equal(1300, history.After(Start(3))!.Register!.Value.WattHours);
        Assert.Equal(1200, history.Before(Start(3))!.Register!.Value.WattHours);
    }

    [Fact]
    public void A_rule_switched_off_in_the_options_does_not_run()
    {
        var options = Options with { DisabledRules = [SpikeRule.Name] };
        Assert.DoesNotContain(SpikeRule.Name, ReadingValidator.Configured(options).RuleNames);
        Assert.False(Validate(Actual(1, null, 1_000_000), MeterHistory.Empty, options).IsSuspect);
        Assert.True(Validate(Actual(1, null, 1_000_000), MeterHistory.Empty).IsSuspect);
    }

    [Fact]
    public void The_default_options_have_no_problem_and_a_negative_tolerance_has_one()
    {
        Assert.Null(Options.Problem());
        Assert.NotNull((Options with { ClockDriftTolerance = NodaTime.Duration.FromSeconds(-1) }).Problem());
    }
}
