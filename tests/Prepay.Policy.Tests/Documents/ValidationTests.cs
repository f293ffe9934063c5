using Prepay.Policy.Documents;
using static Prepay.Policy.Tests.TestPolicies;

namespace Prepay.Policy.Tests.Documents;

public sealed class ValidationTests
{
    private static PolicyFormatException Refused(string json) => Assert.Throws<PolicyFormatException>(() => PolicyDocumentJson.Parse(json));

    [Theory]
    [InlineData("""
        , "friendlyHours": { "saturday": [{ "start": "00:00", "end": "08:00" }, { "start": "18:00", "end": "06:00" }] }
        """, "$.friendlyHours.saturday[1].end", "must be after start")]
    [InlineData("""
        , "friendlyHours": { "funday": [] }
        """, "$.friendlyHours.funday", "is not a day of the week")]
    [InlineData("""
        , "friendlyHours": { "monday": [{ "start": "18:00", "end": "19:00", "nextDay": true }] }
        """, "$.friendlyHours.monday[0].end", "must be at or before start")]
    [InlineData("""
        , "friendlyHours": { "monday": [{ "start": "6pm", "end": "24:00" }] }
        """, "$.friendlyHours.monday[0].start", "must be a local time")]
    [InlineData("""
        , "publicHolidays": { "region": "XX" }
        """, "$.publicHolidays.region", "'XX' has no holiday calendar")]
    [InlineData("""
        , "alerts": { "percentOfLastTopUp": [30, 40, 0] }
        """, "$.alerts.percentOfLastTopUp[1]", "must be below the threshold before it")]
    [InlineData("""
        , "protectedCustomers": { "medical": true, "vulnerable": true, "moratoria": [{ "name": "winter", "from": "13-01", "to": "03-31" }] }
        """, "$.protectedCustomers.moratoria[0].from", "must be a month and day")]
    [InlineData("""
        , "emergencyCredit": { "amount": "5.001" }
        """, "$.emergencyCredit.amount", "'5.001'")]
    [InlineData("""
        , "graceAfterSwitch": "30 days"
        """, "$.graceAfterSwitch", "ISO 8601 period")]
    [InlineData("""
        , "graceAfterSwitch": "P100Y"
        """, "$.graceAfterSwitch", "at most two years")]
    [InlineData("""
        , "debtRecovery": { "maxPercentOfTopUp": 120 }
        """, "$.debtRecovery.maxPercentOfTopUp", "from 0 to 100")]
    [InlineData("""
        , "protectedCustomer": { "medical": true, "vulnerable": true }
        """, "$.protectedCustomer", "is not a known field")]
    public void The_first_problem_is_named_by_its_JSON_path(string rules, string path, string problem)
    {
        var e = Refused(Json(rules));
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Problem, StringComparison.Ordinal);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_sources_is_refused()
    {
        var e = Refused(Json().Replace("\"source\": [\"written for the tests\"]", "\"source\": []", StringComparison.Ordinal));
        Assert.Equal("$.source", e.Path);
    }

    [Fact]
    public void An_unknown_time_zone_is_named()
    {
        var e = Refused(Json().Replace("Europe/London", "Mars/Olympus", StringComparison.Ordinal));
        Assert.Equal("$.timeZone", e.Path);
        Assert.Contains("'Mars/Olympus' is not an IANA time zone", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_JSON_is_refused_with_where_it_broke()
    {
        var e = Refused("{ \"code\": \"X\", ");
        Assert.StartsWith("$", e.Path, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_to_24_00_and_one_into_the_next_day_are_read_as_written()
    {
        var policy = With("""
            , "friendlyHours": { "sunday": [{ "start": "00:00", "end": "24:00" }], "monday": [{ "start": "18:00", "end": "08:00", "nextDay": true }] }
            """);
        Assert.Equal(new FriendlyWindow(NodaTime.LocalTime.Midnight, NodaTime.LocalTime.Midnight, true), Assert.Single(policy.FriendlyHours.On(NodaTime.IsoDayOfWeek.Sunday)));
        Assert.Equal(new FriendlyWindow(new NodaTime.LocalTime(18, 0), new NodaTime.LocalTime(8, 0), true), Assert.Single(policy.FriendlyHours.On(NodaTime.IsoDayOfWeek.Monday)));
        Assert.Empty(policy.FriendlyHours.On(NodaTime.IsoDayOfWeek.Tuesday));
    }
}
