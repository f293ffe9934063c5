using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Tariffs.Documents;
using Prepay.Vending.Caching;

namespace Prepay.Vending.Pricing;

/// <summary>
/// Finds the tariff that prices a meter at an instant: the meter's latest assignment from before it, then the
/// highest version of that tariff already in effect. Parsed documents are cached by (code, version): a stored
/// version never changes, so that cache cannot go stale. Which versions exist and a meter's assignments are
/// remembered for <see cref="VendingOptions.ConfigurationCache"/>; this server forgets them at once when it changes
/// them, other servers see a change within that time.
/// </summary>
public sealed class TariffCatalog(IClock clock, VendingOptions options)
{
    private readonly ConcurrentDictionary<(string, int), TariffDocument> _parsed = new();
    private readonly ShortLivedCache<Guid, IReadOnlyList<(Instant From, string Code)>> _assignments = new(clock, options.ConfigurationCacheDuration);
    private readonly ShortLivedCache<string, IReadOnlyList<(int Version, string Document)>> _versions = new(clock, options.ConfigurationCacheDuration);

    public async Task<TariffDocument?> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var assignments = await AssignmentsAsync(db, meterId, ct);
        var code = assignments.Where(a => a.From <= at).Select(a => a.Code).FirstOrDefault();
        return code is null ? null : await EffectiveAsync(db, code, at, ct);
    }

    /// <summary>
    /// <see cref="ForMeterAsync"/> at <paramref name="at"/>, and the instant until which that answer holds (exclusive)
    /// as this server knows the configuration now: the meter's next assignment, or a later version of its tariff taking
    /// effect, whichever comes first. A caller pricing one meter's instants in order asks again only past it.
    /// </summary>
    public async Task<(TariffDocument? Tariff, Instant Until)> ForMeterUntilAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var until = Instant.MaxValue;
        string? code = null;
        foreach (var (from, assigned) in await AssignmentsAsync(db, meterId, ct)) // newest first
        {
            if (from <= at)
            {
                code = assigned;
                break;
            }
            until = from;
        }
        if (code is null)
        {
            return (null, until);
        }
        foreach (var doc in await VersionsAsync(db, code, ct)) // highest first
        {
            if (doc.IsEffectiveAt(at))
            {
                return (doc, until);
            }
            until = Instant.Min(until, doc.TimeZone.AtStartOfDay(doc.EffectiveFrom).ToInstant());
        }
        return (null, until);
    }

    public async Task<TariffDocument?> EffectiveAsync(PrepayDb db, string code, Instant at, CancellationToken ct)
    {
        foreach (var doc in await VersionsAsync(db, code, ct))
        {
            if (doc.IsEffectiveAt(at))
            {
                return doc;
            }
        }
        return null;
    }

    private ValueTask<IReadOnlyList<(Instant From, string Code)>> AssignmentsAsync(PrepayDb db, Guid meterId, CancellationToken ct) =>
        _assignments.GetOrLoadAsync(meterId, async id =>
            (await db.TariffAssignments.AsNoTracking()
                .Where(a => a.MeterId == id)
                .OrderByDescending(a => a.EffectiveFrom)
                .Select(a => new { a.EffectiveFrom, a.TariffCode })
                .ToListAsync(ct)).Select(a => (a.EffectiveFrom, a.TariffCode)).ToList());

    private async ValueTask<IEnumerable<TariffDocument>> VersionsAsync(PrepayDb db, string code, CancellationToken ct)
    {
        var versions = await _versions.GetOrLoadAsync(code, async c =>
            (await db.Tariffs.AsNoTracking()
                .Where(t => t.Code == c)
                .OrderByDescending(t => t.Version)
                .Select(t => new { t.Version, t.Document })
                .ToListAsync(ct)).Select(v => (v.Version, v.Document)).ToList());
        return versions.Select(v => _parsed.GetOrAdd((code, v.Version), _ => TariffDocumentJson.Parse(v.Document)));
    }

    /// <summary>A meter's tariff assignment changed here.</summary>
    public void ForgetMeter(Guid meterId) => _assignments.Forget(meterId);

    /// <summary>A tariff version was published here.</summary>
    public void ForgetTariff(string code) => _versions.Forget(code);
}
