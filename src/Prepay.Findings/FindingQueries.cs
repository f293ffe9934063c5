using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Revenue;

namespace Prepay.Findings;

/// <summary>One piece of a finding's evidence.</summary>
public sealed record EvidenceView(string Kind, string At, string Reference, string Detail);

/// <summary>A finding as staff see it.</summary>
public sealed record FindingView(
    long Id, string Kind, string Site, string? Meter, string Subject, Instant PeriodStart, Instant PeriodEnd, int Confidence, string Summary,
    IReadOnlyList<EvidenceView> Evidence, string State, string? StateBy, string? StateReason, Instant? StateAt, Instant FoundAt, Instant UpdatedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static FindingView Of(FindingRecord r) => new(
        r.Id, r.Kind, r.SiteCode, r.MeterNumber, r.Subject, r.PeriodStart, r.PeriodEnd, r.Confidence, r.Summary,
        JsonSerializer.Deserialize<List<EvidenceView>>(r.Evidence, Json) ?? [], r.State, r.StateBy, r.StateReason, r.StateAt, r.FoundAt, r.UpdatedAt);
}

/// <summary>Which findings to list: each filter optional; state <c>active</c> is open or under investigation.</summary>
public sealed record FindingFilter(string? Kind = null, string? State = null, string? Site = null, string? Meter = null, int Limit = 100);

/// <summary>Findings for the API and the console, newest first.</summary>
public sealed class FindingQueries(IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyList<FindingView>> ListAsync(FindingFilter filter, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var q = db.Findings.AsNoTracking();
        q = filter.Kind is { } kind ? q.Where(f => f.Kind == kind) : q;
        q = filter.State switch
        {
            null => q,
            "active" => q.Where(f => f.State == FindingRecord.Open || f.State == FindingRecord.Investigating),
            var state => q.Where(f => f.State == state),
        };
        q = filter.Site is { } site ? q.Where(f => f.SiteCode == site) : q;
        q = filter.Meter is { } meter ? q.Where(f => f.MeterNumber == meter) : q;
        var rows = await q.OrderByDescending(f => f.FoundAt).ThenByDescending(f => f.Id).Take(Math.Clamp(filter.Limit, 1, 1000)).ToListAsync(ct);
        return [.. rows.Select(FindingView.Of)];
    }

    public async Task<FindingView?> GetAsync(long id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.Findings.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id, ct) is { } r ? FindingView.Of(r) : null;
    }
}
