using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;

namespace Prepay.Alerts.Producers;

/// <summary>How many days a meter's credit lasts at its recent rate of use: the last week's readings, at least a day of them.</summary>
public static class CreditEstimate
{
    public static readonly Duration Window = Duration.FromDays(7);

    /// <summary>Whole days left, or null when there are too few readings (or no use) to say.</summary>
    public static async Task<long?> DaysLeftAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct)
    {
        var from = at - Window;
        var readings = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId && r.At > from && r.At <= at)
            .OrderBy(r => r.At).Select(r => new { r.At, r.DeltaWh, r.CreditWh }).ToListAsync(ct);
        if (readings.Count < 2)
        {
            return null;
        }
        var span = readings[^1].At - readings[0].At;
        // The first reading's delta belongs to the interval before the span.
        var used = readings.Skip(1).Sum(r => r.DeltaWh);
        if (span < Duration.FromDays(1) || used <= 0)
        {
            return null;
        }
        var credit = Math.Max(0, readings[^1].CreditWh);
        return credit * (long)span.TotalSeconds / (used * 86_400);
    }
}
