using NodaTime;
using Prepay.Disconnections.Push;
using Prepay.MeterLink.Commands;
using Prepay.Policy.Decisions;
using Prepay.Policy.Holidays;
using Prepay.Policy.Presets;

namespace Prepay.Disconnections.Tests;

/// <summary>
/// A policy's rules as a meter keeps them, checked against the presets' own words: UPPCL's 18:00 to 08:00 and
/// Sundays, Uttar Pradesh's fixed holidays, Ofgem's winter moratorium for protected households, and the grace after
/// the switch to prepaid as whole days.
/// </summary>
public sealed class MeterRulesTests
{
    private static readonly DateTimeZone Kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
    private static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];

    private static MeterSituation Situation(string preset, DateTimeZone zone, CustomerProtections protections = CustomerProtections.None, Instant? switched = null) =>
        new(PolicyPresets.Load(preset), "site", zone, protections, switched, false);

    [Fact]
    public void UPPCL_nights_and_Sundays_are_weekday_windows_and_the_fixed_holidays_of_this_year_and_next_are_days()
    {
        var now = Instant.FromUtc(2027, 6, 9, 12, 0);
        var rules = MeterRules.For(Situation("IN-UPPCL", Kolkata), now, HolidayCalendars.Shipped);
        Assert.Equal("IN-UPPCL", rules.PolicyCode);
        Assert.False(rules.Protected);
        var monday = rules.FriendlyHours.Where(w => w.Day == IsoDayOfWeek.Monday).ToList();
        Assert.Equal([new WeeklyWindow(IsoDayOfWeek.Monday, new LocalTime(0, 0), 8 * 60), new WeeklyWindow(IsoDayOfWeek.Monday, new LocalTime(18, 0), 6 * 60)], monday);
        Assert.Equal([new WeeklyWindow(IsoDayOfWeek.Sunday, new LocalTime(0, 0), 24 * 60)], rules.FriendlyHours.Where(w => w.Day == IsoDayOfWeek.Sunday));
        Assert.Equal(13, rules.FriendlyHours.Count);
        // Republic Day and Independence Day, this year and next; nothing of last year or the year after.
        Assert.Contains(new LocalDate(2027, 1, 26), rules.Holidays);
        Assert.Contains(new LocalDate(2028, 8, 15), rules.Holidays);
        Assert.DoesNotContain(rules.Holidays, d => d.Year is < 2027 or > 2028);
        Assert.Equal(rules.Holidays.Order(), rules.Holidays);
    }

    [Fact]
    public void A_protected_household_is_protected_and_gets_the_winter_moratorium_as_days_while_others_do_not()
    {
        var now = Instant.FromUtc(2027, 6, 9, 12, 0);
        var plain = MeterRules.For(Situation("GB-OFGEM", London), now, HolidayCalendars.Shipped);
        var vulnerable = MeterRules.For(Situation("GB-OFGEM", London, CustomerProtections.Vulnerable), now, HolidayCalendars.Shipped);
        Assert.False(plain.Protected);
        Assert.True(vulnerable.Protected);
        // 1 November 2027 to 31 March 2028, and the end of the winter that began in 2026.
        Assert.Contains(new LocalDate(2027, 11, 1), vulnerable.Holidays);
        Assert.Contains(new LocalDate(2028, 2, 29), vulnerable.Holidays);
        Assert.Contains(new LocalDate(2027, 3, 31), vulnerable.Holidays);
        Assert.DoesNotContain(new LocalDate(2027, 4, 1), vulnerable.Holidays);
        Assert.DoesNotContain(new LocalDate(2027, 11, 1), plain.Holidays);
    }

    [Fact]
    public void The_grace_after_the_switch_to_prepaid_is_whole_local_days_ending_with_the_day_it_ends_on()
    {
        // Switched on 10 June 2027 at 23:30 in Kolkata (18:00Z): 30 days of grace end on 10 July at 23:30.
        var switched = Instant.FromUtc(2027, 6, 10, 18, 0);
        var rules = MeterRules.For(Situation("IN-UPPCL", Kolkata, switched: switched), Instant.FromUtc(2027, 6, 11, 0, 0), HolidayCalendars.Shipped);
        Assert.Contains(new LocalDate(2027, 6, 10), rules.Holidays);
        Assert.Contains(new LocalDate(2027, 7, 10), rules.Holidays);
        Assert.DoesNotContain(new LocalDate(2027, 6, 9), rules.Holidays);
        Assert.DoesNotContain(new LocalDate(2027, 7, 11), rules.Holidays);
    }
}
