using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Policy.Documents;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Policies;

public sealed record PolicyVersionSummary(string Code, int Version, string Name, Instant EffectiveFrom, string TimeZone, string PublishedBy, Instant PublishedAt);

/// <summary>
/// Publishing a disconnection policy version: the document must read without a problem, its version must be above
/// every published one of its code, and the version and its audit record are saved together; on any refusal
/// nothing is written.
/// </summary>
public static class PolicyPublication
{
    public abstract record Outcome
    {
        public sealed record Published(PolicyVersionSummary Policy) : Outcome;

        /// <summary>The document is not a valid policy: the JSON path of its first problem and what is wrong there.</summary>
        public sealed record Invalid(string Path, string Problem) : Outcome;

        public sealed record VersionExists(string Detail) : Outcome;
    }

    public static async Task<Outcome> PublishAsync(PrepayDb db, IClock clock, string json, string actor, CancellationToken ct)
    {
        PolicyDocument doc;
        try
        {
            doc = PolicyDocumentJson.Parse(json);
        }
        catch (PolicyFormatException e)
        {
            return new Outcome.Invalid(e.Path, e.Problem);
        }
        var latest = await db.DisconnectionPolicies.Where(p => p.Code == doc.Code).MaxAsync(p => (int?)p.Version, ct);
        if (latest is { } last && doc.Version <= last)
        {
            return new Outcome.VersionExists($"Policy '{doc.Code}' is at version {last}; publish version {last + 1} or higher.");
        }
        var now = clock.GetCurrentInstant();
        var row = new DisconnectionPolicyVersion
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            Code = doc.Code,
            Name = doc.Name,
            Version = doc.Version,
            EffectiveFrom = doc.EffectiveAt,
            Document = json,
            PublishedBy = actor,
            PublishedAt = now,
        };
        db.DisconnectionPolicies.Add(row);
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = "policy.publish", Target = $"disconnection-policy/{doc.Code}/{doc.Version}", Details = doc.Name });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (WriteTransactions.IsUniqueViolation(e))
        {
            return new Outcome.VersionExists($"Version {doc.Version} of policy '{doc.Code}' was published meanwhile.");
        }
        return new Outcome.Published(Summary(row, doc.TimeZone.Id));
    }

    public static PolicyVersionSummary Summary(DisconnectionPolicyVersion row, string zone) =>
        new(row.Code, row.Version, row.Name, row.EffectiveFrom, zone, row.PublishedBy, row.PublishedAt);
}
