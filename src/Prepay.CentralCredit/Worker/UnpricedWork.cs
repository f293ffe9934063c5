using Microsoft.EntityFrameworkCore;
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

    /// <summary>Meters with work, oldest reading first, at most <paramref name="limit"/>.</summary>
    public static async Task<List<Guid>> MetersAsync(PrepayDb db, int limit, CancellationToken ct)
    {
        var fromReadings = await Readings(db).GroupBy(r => r.MeterId).Select(g => new { g.Key, First = g.Min(r => r.At) })
            .ToListAsync(ct);
        var fromAdjustments = await Adjustments(db).Select(a => a.MeterId).Distinct().OrderBy(m => m).Take(limit).ToListAsync(ct);
        return fromReadings.OrderBy(m => m.First).Select(m => m.Key).Concat(fromAdjustments).Distinct().Take(limit).ToList();
    }
}
