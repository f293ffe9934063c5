using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Forecast;
using Prepay.Storage;

namespace Prepay.Alerts.Producers;

/// <summary>
/// How many days a meter's credit lasts at its own usage by weekday and hour (<see cref="CreditForecaster"/>, a flat
/// average under a week of history), worked out as central credit's <c>MeterCreditForecasts</c> works it for the portal
/// and the console: the credit of the newest reading, the readings of the last four weeks, the meter's tariff zone.
/// </summary>
public static class CreditEstimate
{
    /// <summary>Whole days left as seen at <paramref name="at"/>, or null when the readings cannot say (none, or no use).</summary>
    public static async Task<long?> DaysLeftAsync(PrepayDb db, Guid meterId, DateTimeZone zone, Instant at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var since = at - Duration.FromDays(7 * CreditForecaster.HistoryWeeks);
        var readings = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId && r.At > since && r.At <= at)
            .OrderBy(r => r.At).Select(r => new { r.At, r.DeltaWh, r.CreditWh }).ToListAsync(ct);
        if (readings.Count == 0)
        {
            return null;
        }
        var last = readings[^1];
        var points = readings.Select(r => new ConsumptionPoint(r.At, new Energy(r.DeltaWh))).ToList();
        // From the instant the credit was read, then counted from `at`: the same days the portal shows.
        return CreditForecaster.Forecast(points, zone, last.At, new Energy(last.CreditWh)).DaysLeftAt(at);
    }

    /// <summary>Days left as a message says them: "about 3 days", "about 1 day", "less than a day" (never "about 0 days").</summary>
    public static string Words(long days) => days switch
    {
        <= 0 => "less than a day",
        1 => "about 1 day",
        _ => $"about {days} days",
    };
}
