using CsCheck;
using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Policy.Presets;

namespace Prepay.Policy.Tests.Decisions;

public sealed class NextAllowedProperties
{
    private static readonly (Prepay.Policy.Documents.PolicyDocument Policy, DateTimeZone Zone)[] Policies =
        PolicyPresets.Codes.Select(PolicyPresets.Load).Select(p => (p, p.TimeZone))
            .Append((PolicyPresets.Load("GB-OFGEM"), DateTimeZoneProviders.Tzdb["America/New_York"]))
            .ToArray();

    private static readonly long From = Instant.FromUtc(2026, 1, 1, 0, 0).ToUnixTimeSeconds();
    private static readonly long To = Instant.FromUtc(2029, 1, 1, 0, 0).ToUnixTimeSeconds();

    private static readonly Gen<DisconnectionRequest> Request =
        from at in Gen.Long[From, To]
        from switchedDaysBefore in Gen.Int[-1, 60]
        from reason in Gen.Enum<DisconnectionReason>()
        select new DisconnectionRequest(Instant.FromUnixTimeSeconds(at), DateTimeZone.Utc, reason)
        {
            SwitchedToPrepaidAt = switchedDaysBefore < 0 ? null : Instant.FromUnixTimeSeconds(at) - Duration.FromDays(switchedDaysBefore),
        };

    [Fact]
    public void A_refusal_with_a_next_instant_is_allowed_at_that_instant_by_every_rule()
    {
        Gen.Select(Request, Gen.Int[0, Policies.Length - 1]).Sample((request, p) =>
        {
            var (policy, zone) = Policies[p];
            var asked = request with { Zone = zone };
            if (PolicyEvaluator.Shipped.Decide(policy, asked) is DisconnectionDecision.Deny { NextAllowedAt: { } next } deny)
            {
                Assert.True(next > asked.At);
                var later = PolicyEvaluator.Shipped.Decide(policy, asked with { At = next });
                Assert.True(later.IsAllowed, $"{deny.Rule} at {asked.At} offered {next}, where {later.Rule} refuses");
                // Nothing in between is allowed: the offered instant is the first.
                var justBefore = PolicyEvaluator.Shipped.Decide(policy, asked with { At = next - Duration.FromSeconds(1) });
                Assert.False(justBefore.IsAllowed);
            }
        }, iter: 4_000);
    }
}
