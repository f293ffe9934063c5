using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Policy.Holidays;
using Prepay.Policy.Presets;
using static Prepay.Policy.Tests.TestPolicies;

namespace Prepay.Policy.Tests.Presets;

public sealed class PresetTests
{
    public static TheoryData<string> Codes => [.. PolicyPresets.Codes];

    [Theory]
    [MemberData(nameof(Codes))]
    public void Every_preset_loads_and_cites_its_sources(string code)
    {
        var policy = PolicyPresets.Load(code);
        Assert.Equal(code, policy.Code);
        Assert.NotEmpty(policy.Source);
    }

    [Fact]
    public void Every_shipped_holiday_calendar_covers_2026_to_2028_and_cites_its_source()
    {
        Assert.Equal(["GB-ENG", "IN-UP", "ZA"], HolidayCalendars.Shipped.Regions);
        foreach (var region in HolidayCalendars.Shipped.Regions)
        {
            var calendar = HolidayCalendars.Shipped.Find(region)!;
            Assert.True(calendar.Covers(2026) && calendar.Covers(2028), region);
            Assert.NotEmpty(calendar.Source);
        }
    }

    private static DisconnectionDecision Uppcl(int y, int mo, int d, int h, int mi = 0) =>
        Decide(PolicyPresets.Load("IN-UPPCL"), Local(Kolkata, y, mo, d, h, mi), Kolkata);

    [Fact]
    public void UPPCL_cuts_nobody_on_a_Sunday()
    {
        var d = Denied(Uppcl(2027, 1, 31, 12));
        Assert.Equal("friendlyHours.sunday", d.Rule);
        Assert.Equal(Local(Kolkata, 2027, 2, 1, 8), d.NextAllowedAt);
    }

    [Fact]
    public void UPPCL_allows_a_Monday_at_17_59_and_refuses_18_00_until_Tuesday_08_00_IST()
    {
        Assert.True(Uppcl(2027, 2, 1, 17, 59).IsAllowed);
        var d = Denied(Uppcl(2027, 2, 1, 18));
        Assert.Equal("friendlyHours.monday", d.Rule);
        Assert.Equal(Instant.FromUtc(2027, 2, 2, 2, 30), d.NextAllowedAt); // 08:00 IST = 02:30 UTC
    }

    [Fact]
    public void UPPCL_cuts_nobody_on_Republic_Day_nor_the_night_before_and_waits_for_the_next_morning()
    {
        Assert.Equal("holiday.IN-UP.2027-01-26", Uppcl(2027, 1, 26, 12).Rule);
        var eve = Denied(Uppcl(2027, 1, 25, 18));
        Assert.Equal("friendlyHours.monday", eve.Rule);
        Assert.Equal(Local(Kolkata, 2027, 1, 27, 8), eve.NextAllowedAt);
    }

    [Fact]
    public void UPPCL_gives_thirty_days_after_the_switch_and_alerts_at_30_10_and_0_percent()
    {
        var policy = PolicyPresets.Load("IN-UPPCL");
        Assert.Equal([30, 10, 0], policy.Alerts.PercentOfLastTopUp);
        var switched = Local(Kolkata, 2027, 2, 1, 10);
        var d = Denied(Decide(policy, Local(Kolkata, 2027, 2, 10, 12), Kolkata, r => r with { SwitchedToPrepaidAt = switched }));
        Assert.Equal("grace.afterSwitch", d.Rule);
        Assert.Equal(Local(Kolkata, 2027, 3, 3, 10), d.NextAllowedAt);
    }

    private static readonly DateTimeZone Gb = London;

    [Fact]
    public void GB_allows_a_weekday_midday_and_refuses_evenings_and_weekends()
    {
        var policy = PolicyPresets.Load("GB-OFGEM");
        Assert.True(Decide(policy, Local(Gb, 2027, 6, 9, 12), Gb).IsAllowed);
        Assert.Equal("friendlyHours.wednesday", Decide(policy, Local(Gb, 2027, 6, 9, 18), Gb).Rule);
        var saturday = Denied(Decide(policy, Local(Gb, 2027, 6, 5, 12), Gb));
        Assert.Equal("friendlyHours.saturday", saturday.Rule);
        Assert.Equal(Local(Gb, 2027, 6, 7, 10), saturday.NextAllowedAt);
    }

    [Fact]
    public void GB_carries_Easter_over_the_clock_change_to_Tuesday_10_00_BST()
    {
        // Good Friday 26 March 2027, the clocks go forward on Sunday 28th, Easter Monday 29th is a bank holiday.
        var d = Denied(Decide(PolicyPresets.Load("GB-OFGEM"), Local(Gb, 2027, 3, 26, 12), Gb));
        Assert.Equal("holiday.GB-ENG.2027-03-26", d.Rule);
        Assert.Equal(Instant.FromUtc(2027, 3, 30, 9, 0), d.NextAllowedAt);
    }

    [Fact]
    public void GB_keeps_protected_households_on_supply_all_winter_and_never_cuts_a_medical_one()
    {
        var policy = PolicyPresets.Load("GB-OFGEM");
        var winterWednesday = Local(Gb, 2027, 1, 13, 12);
        Assert.True(Decide(policy, winterWednesday, Gb).IsAllowed);
        Assert.Equal("protected.medical", Decide(policy, winterWednesday, Gb, r => r with { Protections = CustomerProtections.Medical }).Rule);
        Assert.Equal("emergencyCredit", Decide(policy, winterWednesday, Gb, r => r with { InEmergencyCredit = true }).Rule);
    }

    [Fact]
    public void ZA_allows_business_hours_only_and_keeps_the_weekend_and_public_holidays()
    {
        var policy = PolicyPresets.Load("ZA-MUNICIPAL");
        var za = Johannesburg;
        Assert.True(Decide(policy, Local(za, 2027, 6, 11, 15, 59), za).IsAllowed);
        var friday = Denied(Decide(policy, Local(za, 2027, 6, 11, 16), za));
        Assert.Equal("friendlyHours.friday", friday.Rule);
        Assert.Equal(Local(za, 2027, 6, 14, 8), friday.NextAllowedAt);
        Assert.Equal("holiday.ZA.2027-03-22", Decide(policy, Local(za, 2027, 3, 22, 10), za).Rule);
        Assert.Equal(90, policy.DebtRecovery!.MaxPercentOfTopUp);
    }

    [Fact]
    public void The_default_allows_only_Tuesday_to_Thursday_midday_and_protects_the_rest()
    {
        var policy = PolicyPresets.Conservative;
        var utc = DateTimeZone.Utc;
        Assert.True(Decide(policy, Local(utc, 2027, 6, 8, 10), utc).IsAllowed);
        var d = Denied(Decide(policy, Local(utc, 2027, 6, 10, 14), utc));
        Assert.Equal("friendlyHours.thursday", d.Rule);
        Assert.Equal(Local(utc, 2027, 6, 15, 10), d.NextAllowedAt);
        Assert.Equal("protected.vulnerable", Decide(policy, Local(utc, 2027, 6, 8, 10), utc, r => r with { Protections = CustomerProtections.Vulnerable }).Rule);
    }
}
