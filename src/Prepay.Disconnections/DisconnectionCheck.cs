using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;
using Prepay.Storage;
using Prepay.Vending.Pricing;

namespace Prepay.Disconnections;

/// <summary>What the policy answered for a meter at an instant, with the situation it was given and whose policy it was.</summary>
/// <param name="PolicySource">"customer", "site", or "default" (none assigned, or none in effect yet).</param>
public sealed record Evaluation(DisconnectionDecision Decision, DisconnectionRequest Request, PolicyDocument Policy, string PolicySource);

/// <summary>A meter's situation as the gate reads it: the policy in force and whose it is, the site's zone, the household's protections, the switch to prepaid, emergency credit in use.</summary>
public sealed record MeterSituation(PolicyDocument Policy, string PolicySource, DateTimeZone Zone, CustomerProtections Protections, Instant? SwitchedToPrepaidAt, bool InEmergencyCredit);

/// <summary>
/// "May this meter be cut at this instant, and why?": the meter's situation read from the catalog, the policy in
/// force for it, and <see cref="PolicyEvaluator.Decide"/>. Nothing is written. What the catalog knows is mapped so:
/// <list type="bullet">
/// <item>the policy: the customer's assignment in effect at the instant, else the site's, each at the highest
/// version of that code in effect; else <see cref="DisconnectionOptions.DefaultPolicy"/> (by default the
/// conservative preset: it protects, it does not allow everything);</item>
/// <item>the site's zone: the zone of the meter's tariff in effect (sites carry none), else the policy's own;</item>
/// <item>protections: the customer's one <c>Protected</c> flag (medical or vulnerable, not which) counts as vulnerable;</item>
/// <item>the switch to prepaid: when the meter was installed at its premises;</item>
/// <item>emergency credit: the meter's last credit event before the instant was emergency credit taken (a top-up
/// by command reports no event, so this errs on the side of not cutting).</item>
/// </list>
/// </summary>
public sealed class DisconnectionCheck(TariffCatalog tariffs, DisconnectionOptions options)
{
    private static readonly string[] CreditEvents = ["emergencyCreditActivated", "creditExhausted", "tokenAccepted"];

    public async Task<Evaluation> EvaluateAsync(PrepayDb db, Guid meterId, Instant at, DisconnectionReason reason, CancellationToken ct)
    {
        var situation = await SituationAsync(db, meterId, at, ct);
        var request = new DisconnectionRequest(at, situation.Zone, reason)
        {
            Protections = situation.Protections,
            SwitchedToPrepaidAt = situation.SwitchedToPrepaidAt,
            InEmergencyCredit = situation.InEmergencyCredit,
        };
        return new Evaluation(PolicyEvaluator.Shipped.Decide(situation.Policy, request), request, situation.Policy, situation.PolicySource);
    }

    /// <summary>What the catalog says of the meter at <paramref name="at"/>, as the class summary maps it.</summary>
    public async Task<MeterSituation> SituationAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var place = await PlaceAsync(db, meterId, at, ct);
        var customer = place?.CustomerId is { } cid
            ? await db.Customers.AsNoTracking().Where(c => c.Id == cid).Select(c => new { c.Protected }).FirstOrDefaultAsync(ct)
            : null;
        var (policy, source) = await InForceAsync(db, place?.CustomerId, place?.SiteId, at, ct);
        var zone = (await tariffs.ForMeterAsync(db, meterId, at, ct))?.TimeZone ?? policy.TimeZone;
        var lastCreditEvent = await db.MeterEvents.AsNoTracking()
            .Where(e => e.MeterId == meterId && e.At <= at && CreditEvents.Contains(e.Type))
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Select(e => e.Type).FirstOrDefaultAsync(ct);
        return new MeterSituation(policy, source, zone,
            customer?.Protected == true ? CustomerProtections.Vulnerable : CustomerProtections.None,
            place?.InstalledAt, lastCreditEvent == "emergencyCreditActivated");
    }

    /// <summary>The policy in force for the household a meter is installed at, at an instant, and whose assignment it is.</summary>
    public async Task<(PolicyDocument Policy, string Source)> InForceForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var place = await PlaceAsync(db, meterId, at, ct);
        return await InForceAsync(db, place?.CustomerId, place?.SiteId, at, ct);
    }

    /// <summary>The policy in force for a customer at a site at an instant, and whose assignment it is.</summary>
    public async Task<(PolicyDocument Policy, string Source)> InForceAsync(PrepayDb db, Guid? customerId, Guid? siteId, Instant at, CancellationToken ct)
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
        return (options.DefaultPolicy, "default");
    }

    private sealed record Place(Instant InstalledAt, Guid SiteId, Guid? CustomerId);

    /// <summary>Where the meter is installed at <paramref name="at"/>: since when, the premises' site and customer; none when it is not installed.</summary>
    private static Task<Place?> PlaceAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct) =>
        (from i in db.MeterInstallations.AsNoTracking()
         join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
         where i.MeterId == meterId && i.InstalledAt <= at && (i.RemovedAt == null || i.RemovedAt > at)
         select new Place(i.InstalledAt, p.SiteId, p.CustomerId)).FirstOrDefaultAsync(ct);

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
