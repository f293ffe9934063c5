using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Storage;

namespace Prepay.Disconnections;

/// <param name="PolicySource">Where the policy came from: "customer", "site", or "default" (none assigned, or none in effect yet).</param>
public sealed record DisconnectionDecisionView(
    string Meter, Instant At, string Reason, string Decision, string Rule, string Sentence, Instant? NextAllowedAt,
    string Policy, int PolicyVersion, string PolicySource, string TimeZone,
    bool Protected, Instant? SwitchedToPrepaidAt, bool InEmergencyCredit);

/// <summary>
/// The quote-like preview: what the gate (<see cref="DisconnectionCheck"/>) would answer for a meter at an instant,
/// with the situation it read. Nothing is written.
/// </summary>
public sealed class DisconnectionPreview(DisconnectionCheck check)
{
    public abstract record Outcome
    {
        public sealed record Decided(DisconnectionDecisionView Decision) : Outcome;

        public sealed record MeterNotFound(string Detail) : Outcome;
    }

    public async Task<Outcome> DecideAsync(PrepayDb db, string meterNumber, Instant at, DisconnectionReason reason, CancellationToken ct)
    {
        var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id }).FirstOrDefaultAsync(ct);
        if (meter is null)
        {
            return new Outcome.MeterNotFound($"No meter '{meterNumber}'.");
        }
        var (decision, request, policy, source) = await check.EvaluateAsync(db, meter.Id, at, reason, ct);
        return new Outcome.Decided(new DisconnectionDecisionView(
            meterNumber, at, ReasonNames.Name(reason), decision.IsAllowed ? "allow" : "deny", decision.Rule, decision.Sentence,
            (decision as DisconnectionDecision.Deny)?.NextAllowedAt, policy.Code, policy.Version, source, request.Zone.Id,
            request.Protections != CustomerProtections.None, request.SwitchedToPrepaidAt, request.InEmergencyCredit));
    }
}

/// <summary>The reasons as the API spells them.</summary>
public static class ReasonNames
{
    private static readonly Dictionary<string, DisconnectionReason> ByName = new(StringComparer.Ordinal)
    {
        ["creditExhausted"] = DisconnectionReason.CreditExhausted,
        ["operatorCommand"] = DisconnectionReason.OperatorCommand,
        ["api"] = DisconnectionReason.Api,
        ["thresholds"] = DisconnectionReason.Thresholds,
        ["managementToken"] = DisconnectionReason.ManagementToken,
    };

    public static IEnumerable<string> Names => ByName.Keys;

    public static bool TryParse(string? name, out DisconnectionReason reason) => ByName.TryGetValue(name ?? "", out reason);

    public static string Name(DisconnectionReason reason) => ByName.First(p => p.Value == reason).Key;
}
