using Microsoft.EntityFrameworkCore;
using Prepay.Policy.Documents;
using Prepay.Storage;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Policies;

/// <summary>Reads of the published policies: the latest of each code, a code's versions, one version's document.</summary>
public static class PolicyCatalog
{
    public static async Task<IReadOnlyList<PolicyVersionSummary>> LatestAsync(PrepayDb db, CancellationToken ct)
    {
        var rows = await db.DisconnectionPolicies.AsNoTracking().OrderBy(p => p.Code).ThenBy(p => p.Version).ToListAsync(ct);
        return [.. rows.GroupBy(p => p.Code).Select(g => g.Last()).Select(Summary)];
    }

    /// <summary>Every version of <paramref name="code"/>, oldest first; empty when none is published.</summary>
    public static async Task<IReadOnlyList<PolicyVersionSummary>> VersionsAsync(PrepayDb db, string code, CancellationToken ct)
    {
        var rows = await db.DisconnectionPolicies.AsNoTracking().Where(p => p.Code == code).OrderBy(p => p.Version).ToListAsync(ct);
        return [.. rows.Select(Summary)];
    }

    /// <summary>The document of one version as published, or null.</summary>
    public static Task<string?> DocumentAsync(PrepayDb db, string code, int version, CancellationToken ct) =>
        db.DisconnectionPolicies.AsNoTracking().Where(p => p.Code == code && p.Version == version).Select(p => p.Document).FirstOrDefaultAsync(ct);

    private static PolicyVersionSummary Summary(DisconnectionPolicyVersion row) =>
        PolicyPublication.Summary(row, PolicyDocumentJson.Parse(row.Document).TimeZone.Id);
}
