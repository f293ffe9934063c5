using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;

namespace Prepay.Statements.Days;

/// <summary>
/// What the server knows of emergency credit: the meter's <c>emergencyCreditActivated</c> events (when it was taken).
/// How much was taken and repaid is the meter's own bookkeeping, which no transport reports: not known here.
/// </summary>
internal static class EmergencyCredit
{
    public const string Note = "Emergency credit: your meter tells us when it starts using emergency credit, not how much it took or paid back, so those amounts are not shown.";

    private const string Activated = "emergencyCreditActivated";

    public static async Task CountAsync(PrepayDb db, Guid meterId, DateTimeZone zone, Instant start, Instant end, SortedDictionary<LocalDate, DayTotals> days, CancellationToken ct)
    {
        var at = await db.MeterEvents.AsNoTracking().Where(e => e.MeterId == meterId && e.Type == Activated && e.At >= start && e.At < end)
            .Select(e => e.At).ToListAsync(ct);
        foreach (var instant in at)
        {
            days[instant.InZone(zone).Date].EmergencyCreditActivations++;
        }
    }
}
