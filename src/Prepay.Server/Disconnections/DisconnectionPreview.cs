using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;
using Prepay.Policy.Presets;
using Prepay.Storage;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Disconnections;

/// <param name="PolicySource">Where the policy came from: "customer", "site", or "default" (none assigned, or none in effect yet).</param>
public sealed record DisconnectionDecisionView(
    string Meter, Instant At, string Reason, string Decision, string Rule, string Sentence, Instant? NextAllowedAt,
    string Policy, int PolicyVersion, string PolicySource, string TimeZone,
    bool Protected, Instant? SwitchedToPrepaidAt, bool InEmergencyCredit);

/// <summary>
/// "May this meter be cut at this instant, and why?": the meter's situation read from the catalog, the policy in
/// force for it, and <see cref="PolicyEvaluator.Decide"/>. Nothing is written. What the catalog knows is mapped so:
/// <list type="bullet">
/// <item>the policy: the customer's assignment in effect at the instant, else the site's, each at the highest
/// version of that code in effect; else <see cref="PolicyPresets.Conservative"/> (it protects, it does not allow
/// everything);</item>
/// <item>the site's zone: the zone of the meter's tariff in effect (sites carry none), else the policy's own;</item>
/// <item>protections: the customer's one <c>Protected</c> flag (medical or vulnerable, not which) counts as vulnerable;</item>
/// <item>the switch to prepaid: when the meter was installed at its premises;</item>
/// <item>emergency credit: the meter's last credit event before the instant was emergency credit taken (a top-up
/// by command reports no event, so this errs on the side of not cutting).</item>
/// </list>
/// This is the read the gate for every disconnection will make.
/// </summary>
public static class DisconnectionPreview
{
    private static readonly string[] CreditEvents = ["emergencyCreditActivated", "creditExhausted", "tokenAccepted"];

    public abstract record Outcome
    {
        public sealed record Decided(DisconnectionDecisionView Decision) : Outcome;

        public sealed record MeterNotFound(string Detail) : Outcome;
    }

    public static async Task<Outcome> DecideAsync(PrepayDb db, TariffCatalog tariffs, string meterNumber, Instant at, DisconnectionReason reason, CancellationToken ct)
    {
        var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id }).FirstOrDefaultAsync(ct);
        if (meter is null)
        {
            return new Outcome.MeterNotFound($"No meter '{meterNumber}'.");
        }
        var place = await (from i in db.MeterInstallations.AsNoTracking()
                           join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
                           where i.MeterId == meter.Id && i.InstalledAt <= at && (i.RemovedAt == null || i.RemovedAt > at)
                           select new { i.InstalledAt, p.SiteId, p.CustomerId }).FirstOrDefaultAsync(ct);
        var customer = place?.CustomerId is { } cid
            ? await db.Customers.AsNoTracking().Where(c => c.Id == cid).Select(c => new { c.Protected }).FirstOrDefaultAsync(ct)
            : null;
        var (policy, source) = await InForceAsync(db, place?.CustomerId, place?.SiteId, at, ct);
        var zone = (await tariffs.ForMeterAsync(db, meter.Id, at, ct))?.TimeZone ?? policy.TimeZone;
        var lastCreditEvent = await db.MeterEvents.AsNoTracking()
            .Where(e => e.MeterId == meter.Id && e.At <= at && CreditEvents.Contains(e.Type))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Type).FirstOrDefaultAsync(ct);
        var request = new DisconnectionRequest(at, zone, reason)
        {
            Protections = customer?.Protected == true ? CustomerProtections.Vulnerable : CustomerProtections.None,
            SwitchedToPrepaidAt = place?.InstalledAt,
            InEmergencyCredit = lastCreditEvent == "emergencyCreditActivated",
        };
        var decision = PolicyEvaluator.Shipped.Decide(policy, request);
        return new Outcome.Decided(new DisconnectionDecisionView(
            meterNumber, at, ReasonNames.Name(reason), decision.IsAllowed ? "allow" : "deny", decision.Rule, decision.Sentence,
            (decision as DisconnectionDecision.Deny)?.NextAllowedAt, policy.Code, policy.Version, source, zone.Id,
            request.Protections != CustomerProtections.None, request.SwitchedToPrepaidAt, request.InEmergencyCredit));
    }

    /// <summary>The policy in force for a customer at a site at an instant, and whose assignment it is.</summary>
    public static async Task<(PolicyDocument Policy, string Source)> InForceAsync(PrepayDb db, Guid? customerId, Guid? siteId, Instant at, CancellationToken ct)
    {
        if (customerId is { } c && await AssignedCodeAsync(db.DisconnectionPolicyAssignments.Where(a => a.CustomerId == c), at, ct) is { } forCustomer
            && await VersionAsync(db, forCustomer, at, ct) is { } p1)
        {
            return (p1, "customer");
        }
        if (siteId is { } s && await AssignedCodeAsync(db.DisconnectionPolicyAssignments.Where(a => a.SiteId == s), at, ct) is { } forSite
            && await VersionAsync(db, forSite, at, ct) is { } p2)
        {
            return (p2, "site");
        }
        return (PolicyPresets.Conservative, "default");
    }

    private static Task<string?> AssignedCodeAsync(IQueryable<Storage.Records.Policies.DisconnectionPolicyAssignment> rows, Instant at, CancellationToken ct) =>
        rows.AsNoTracking().Where(a => a.EffectiveFrom <= at).OrderByDescending(a => a.EffectiveFrom).Select(a => a.PolicyCode).FirstOrDefaultAsync(ct);

    private static async Task<PolicyDocument?> VersionAsync(PrepayDb db, string code, Instant at, CancellationToken ct)
    {
        var json = await db.DisconnectionPolicies.AsNoTracking()
            .Where(p => p.Code == code && p.EffectiveFrom <= at)
            .OrderByDescending(p => p.Version).Select(p => p.Document).FirstOrDefaultAsync(ct);
        return json is null ? null : PolicyDocumentJson.Parse(json);
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
