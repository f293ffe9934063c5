using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Vending.Vends;

/// <summary>What a meter has bought since the start of the month, counting only vends that were not reversed.</summary>
internal static class MonthToDate
{
    public static async Task<(long EnergyWh, long DebtRecoveredMinor)> ForMeterAsync(PrepayDb db, Guid meterId, Instant monthStart, CancellationToken ct)
    {
        var totals = await db.Vends.AsNoTracking()
            .Where(v => v.MeterId == meterId && v.At >= monthStart && v.Kind == VendKind.Credit)
            .Where(v => !db.VendReversals.Any(r => r.VendId == v.Id))
            .GroupBy(v => 1)
            .Select(g => new { Energy = g.Sum(v => v.EnergyWh), Debt = g.Sum(v => v.DebtRecoveredMinor) })
            .FirstOrDefaultAsync(ct);
        return (totals?.Energy ?? 0, totals?.Debt ?? 0);
    }
}
