using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Tariffs.Documents;

namespace Prepay.Vending.Pricing;

/// <summary>
/// Finds the tariff that prices a meter at an instant: the meter's latest assignment from before it, then the
/// highest version of that tariff already in effect. Parsed documents are cached by (code, version): a stored
/// version never changes, so the cache cannot go stale.
/// </summary>
public sealed class TariffCatalog
{
    private readonly ConcurrentDictionary<(string, int), TariffDocument> _parsed = new();

    public async Task<TariffDocument?> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var code = await db.TariffAssignments.AsNoTracking()
            .Where(a => a.MeterId == meterId && a.EffectiveFrom <= at)
            .OrderByDescending(a => a.EffectiveFrom)
            .Select(a => a.TariffCode)
            .FirstOrDefaultAsync(ct);
        return code is null ? null : await EffectiveAsync(db, code, at, ct);
    }

    public async Task<TariffDocument?> EffectiveAsync(PrepayDb db, string code, Instant at, CancellationToken ct)
    {
        var versions = await db.Tariffs.AsNoTracking()
            .Where(t => t.Code == code)
            .OrderByDescending(t => t.Version)
            .Select(t => new { t.Version, t.Document })
            .ToListAsync(ct);
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
}
