using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;

namespace Prepay.Policy.Tests;

/// <summary>Small documents built from JSON fragments, so each test shows the rule it exercises.</summary>
internal static class TestPolicies
{
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    public static readonly DateTimeZone Kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
    public static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    /// <summary>A valid document in Europe/London whose body is <paramref name="rules"/> (JSON members, comma-led).</summary>
    public static string Json(string rules = "") => $$"""
        {
          "code": "TEST",
          "name": "Test policy",
          "version": 1,
          "effectiveFrom": "2026-01-01",
          "timeZone": "Europe/London",
          "currency": "GBP",
          "source": ["written for the tests"]{{rules}}
        }
        """;

    public static PolicyDocument With(string rules = "") => PolicyDocumentJson.Parse(Json(rules));

    public static DisconnectionDecision Decide(PolicyDocument policy, Instant at, DateTimeZone zone, Func<DisconnectionRequest, DisconnectionRequest>? situation = null)
    {
        var request = new DisconnectionRequest(at, zone, DisconnectionReason.CreditExhausted);
        return PolicyEvaluator.Shipped.Decide(policy, situation is null ? request : situation(request));
    }

    public static Instant Local(DateTimeZone zone, int y, int mo, int d, int h, int mi = 0) =>
        new LocalDateTime(y, mo, d, h, mi).InZoneStrictly(zone).ToInstant();

    public static DisconnectionDecision.Deny Denied(DisconnectionDecision decision) =>
        Assert.IsType<DisconnectionDecision.Deny>(decision);
}
