using NodaTime;
using Prepay.Policy.Decisions;
using static Prepay.Policy.Tests.TestPolicies;

namespace Prepay.Policy.Tests.Decisions;

public sealed class RuleTests
{
    private static readonly Prepay.Policy.Documents.PolicyDocument Full = With("""
        , "friendlyHours": { "sunday": [{ "start": "00:00", "end": "24:00" }] },
          "publicHolidays": { "region": "IN-UP" },
          "emergencyCredit": { "amount": "5.00", "availableBelow": "1.00", "repaymentPercent": 25 },
          "protectedCustomers": {
            "medical": true, "vulnerable": true,
            "moratoria": [{ "name": "winter", "from": "12-15", "to": "01-15", "appliesTo": "everyone" }]
          },
          "graceAfterSwitch": "P30D"
        """);

    private static readonly Instant Wednesday = Local(Kolkata, 2027, 6, 9, 12);

    [Fact]
    public void A_medical_household_is_never_disconnected_and_no_instant_is_offered()
    {
        var d = Denied(Decide(Full, Wednesday, Kolkata, r => r with { Protections = CustomerProtections.Medical | CustomerProtections.Vulnerable }));
        Assert.Equal("protected.medical", d.Rule);
        Assert.Null(d.NextAllowedAt);
        Assert.StartsWith("Your supply was not cut when your credit ran out because your household is registered as depending on medical equipment", d.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vulnerable_household_is_never_disconnected_whatever_the_reason()
    {
        var d = Denied(Decide(Full, Wednesday, Kolkata, r => r with { Protections = CustomerProtections.Vulnerable, Reason = DisconnectionReason.OperatorCommand }));
        Assert.Equal("protected.vulnerable", d.Rule);
        Assert.Null(d.NextAllowedAt);
    }

    [Fact]
    public void A_policy_that_does_not_protect_medical_households_lets_the_other_rules_decide()
    {
        var lax = With("""
            , "protectedCustomers": { "medical": false, "vulnerable": false }
            """);
        Assert.True(Decide(lax, Wednesday, Kolkata, r => r with { Protections = CustomerProtections.Medical }).IsAllowed);
    }

    [Fact]
    public void No_disconnection_while_emergency_credit_is_in_use()
    {
        var d = Denied(Decide(Full, Wednesday, Kolkata, r => r with { InEmergencyCredit = true }));
        Assert.Equal("emergencyCredit", d.Rule);
        Assert.Null(d.NextAllowedAt);
        Assert.True(Decide(Full, Wednesday, Kolkata, r => r with { InEmergencyCredit = false }).IsAllowed);
    }

    [Fact]
    public void The_grace_after_a_switch_to_prepaid_ends_thirty_local_days_later()
    {
        var switched = Local(Kolkata, 2027, 5, 20, 9, 30);
        var d = Denied(Decide(Full, Wednesday, Kolkata, r => r with { SwitchedToPrepaidAt = switched }));
        Assert.Equal("grace.afterSwitch", d.Rule);
        Assert.Equal(Local(Kolkata, 2027, 6, 19, 9, 30), d.NextAllowedAt);
        Assert.True(Decide(Full, Local(Kolkata, 2027, 6, 19, 9, 30), Kolkata, r => r with { SwitchedToPrepaidAt = switched }).IsAllowed);
    }

    [Fact]
    public void A_moratorium_over_the_new_year_refuses_until_the_day_after_it_ends()
    {
        var d = Denied(Decide(Full, Local(Kolkata, 2027, 1, 5, 12), Kolkata));
        Assert.Equal("moratorium.winter", d.Rule);
        Assert.Equal(Local(Kolkata, 2027, 1, 16, 0), d.NextAllowedAt);
        Assert.Equal("moratorium.winter", Denied(Decide(Full, Local(Kolkata, 2027, 12, 15, 0), Kolkata)).Rule);
        Assert.True(Decide(Full, Local(Kolkata, 2027, 12, 14, 23, 59), Kolkata).IsAllowed);
    }

    [Fact]
    public void A_moratorium_for_protected_households_does_not_apply_to_others()
    {
        var policy = With("""
            , "protectedCustomers": { "medical": false, "vulnerable": false,
                "moratoria": [{ "name": "winter", "from": "11-01", "to": "03-31", "appliesTo": "protected" }] }
            """);
        var january = Local(London, 2027, 1, 13, 12);
        Assert.True(Decide(policy, january, London).IsAllowed);
        var d = Denied(Decide(policy, january, London, r => r with { Protections = CustomerProtections.Vulnerable }));
        Assert.Equal("moratorium.winter", d.Rule);
        Assert.Equal(Local(London, 2027, 4, 1, 0), d.NextAllowedAt);
    }

    [Fact]
    public void A_public_holiday_refuses_all_day_and_names_the_date_and_region()
    {
        var d = Denied(Decide(Full, Local(Kolkata, 2027, 1, 26, 15), Kolkata));
        Assert.Equal("holiday.IN-UP.2027-01-26", d.Rule);
        Assert.Equal(Local(Kolkata, 2027, 1, 27, 0), d.NextAllowedAt);
        Assert.Contains("Republic Day", d.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void The_site_may_name_its_own_holiday_region()
    {
        var d = Denied(Decide(Full, Local(Johannesburg, 2027, 3, 22, 12), Johannesburg, r => r with { HolidayRegion = "ZA" }));
        Assert.Equal("holiday.ZA.2027-03-22", d.Rule);
    }

    [Fact]
    public void A_year_the_holiday_calendar_does_not_cover_is_refused_not_guessed()
    {
        var d = Denied(Decide(Full, Local(Kolkata, 2029, 6, 6, 12), Kolkata));
        Assert.Equal("holiday.IN-UP.2029.unknown", d.Rule);
        Assert.Null(d.NextAllowedAt);
    }

    [Fact]
    public void Protections_decide_before_the_clock_and_the_clock_before_nothing()
    {
        // A Sunday in the moratorium, inside the grace, for a medical household: the protection is named.
        var sunday = Local(Kolkata, 2027, 1, 3, 12);
        Assert.Equal("protected.medical", Decide(Full, sunday, Kolkata, r => r with { Protections = CustomerProtections.Medical, SwitchedToPrepaidAt = sunday }).Rule);
        Assert.Equal("grace.afterSwitch", Decide(Full, sunday, Kolkata, r => r with { SwitchedToPrepaidAt = sunday }).Rule);
        Assert.Equal("moratorium.winter", Decide(Full, sunday, Kolkata).Rule);
    }

    [Theory]
    [InlineData(DisconnectionReason.OperatorCommand, "Your supply was not cut as requested because")]
    [InlineData(DisconnectionReason.Thresholds, "Your meter's settings were not changed to cut your supply because")]
    [InlineData(DisconnectionReason.ManagementToken, "Your meter's power limit was not set to zero because")]
    public void Every_reason_passes_the_same_rules_and_is_told_in_its_own_words(DisconnectionReason reason, string opening)
    {
        var d = Denied(Decide(Full, Local(Kolkata, 2027, 6, 6, 12), Kolkata, r => r with { Reason = reason }));
        Assert.Equal("friendlyHours.sunday", d.Rule);
        Assert.StartsWith(opening, d.Sentence, StringComparison.Ordinal);
    }
}
