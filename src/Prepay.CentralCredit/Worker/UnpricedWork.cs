using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.CentralCredit.Pricing;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// What is left to price, read from committed rows only: readings of central-credit meters (ending after the switch to
/// central, not after a switch back) with a priced quality and no <c>central_credit_intervals</c> row yet, and
/// <c>reading_adjustments</c> of intervals already priced and not yet posted.
/// </summary>
internal static class UnpricedWork
{
    public static IQueryable<IntervalReading> Readings(PrepayDb db) =>
        from r in db.Readings.AsNoTracking()
        join s in db.CentralCreditStates on r.MeterId equals s.MeterId
        where r.At > s.PricedFrom && (s.PricedUntil == null || r.At <= s.PricedUntil)
              && (r.Quality == ReadingQualities.Valid || r.Quality == ReadingQualities.Estimated || r.Quality == ReadingQualities.Edited)
              && !db.CentralCreditIntervals.Any(p => p.MeterId == r.MeterId && p.At == r.At)
        select r;

    public static IQueryable<ReadingAdjustment> Adjustments(PrepayDb db) =>
        from a in db.ReadingAdjustments.AsNoTracking()
        where db.CentralCreditIntervals.Any(p => p.MeterId == a.MeterId && p.At == a.At)
              && !db.CentralCreditAdjustments.Any(p => p.AdjustmentId == a.Id)
        select a;

    /// <summary>Meters with work, oldest reading first, at most <paramref name="limit"/>, each with the first and last interval end to price or correct.</summary>
    public static async Task<List<(Guid Meter, Instant First, Instant Last)>> MetersAsync(PrepayDb db, int limit, CancellationToken ct)
    {
        var fromReadings = await Readings(db).GroupBy(r => r.MeterId).Select(g => new { g.Key, First = g.Min(r => r.At), Last = g.Max(r => r.At) })
            .ToListAsync(ct);
        var fromAdjustments = await Adjustments(db).GroupBy(a => a.MeterId).Select(g => new { g.Key, First = g.Min(r => r.At), Last = g.Max(r => r.At) })
            .ToListAsync(ct);
        return fromReadings.Concat(fromAdjustments)
            .GroupBy(m => m.Key)
            .Select(g => (g.Key, g.Min(x => x.First), g.Max(x => x.Last)))
            .OrderBy(m => m.Item2)
            .Take(limit)
            .ToList();
    }
}
