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
        var assignments = await _assignments.GetOrLoadAsync(meterId, async id =>
            (await db.TariffAssignments.AsNoTracking()
                .Where(a => a.MeterId == id)
                .OrderByDescending(a => a.EffectiveFrom)
                .Select(a => new { a.EffectiveFrom, a.TariffCode })
                .ToListAsync(ct)).Select(a => (a.EffectiveFrom, a.TariffCode)).ToList());
        var code = assignments.Where(a => a.From <= at).Select(a => a.Code).FirstOrDefault();
        return code is null ? null : await EffectiveAsync(db, code, at, ct);
    }

    public async Task<TariffDocument?> EffectiveAsync(PrepayDb db, string code, Instant at, CancellationToken ct)
    {
        var versions = await _versions.GetOrLoadAsync(code, async c =>
            (await db.Tariffs.AsNoTracking()
                .Where(t => t.Code == c)
                .OrderByDescending(t => t.Version)
                .Select(t => new { t.Version, t.Document })
                .ToListAsync(ct)).Select(v => (v.Version, v.Document)).ToList());
        foreach (var v in versions)
        {
            var doc = _parsed.GetOrAdd((code, v.Version), _ => TariffDocumentJson.Parse(v.Document));
            if (doc.IsEffectiveAt(at))
            {
                return doc;
            }
        }
        return null;
    }

    /// <summary>A meter's tariff assignment changed here.</summary>
    public void ForgetMeter(Guid meterId) => _assignments.Forget(meterId);

    /// <summary>A tariff version was published here.</summary>
    public void ForgetTariff(string code) => _versions.Forget(code);
}
