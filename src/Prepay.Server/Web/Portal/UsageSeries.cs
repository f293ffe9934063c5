using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Storage;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.Server.Web.Portal;

/// <summary>Energy used in one bar of a chart (a day, an hour, a time-of-use period), in Wh and as kWh text.</summary>
public sealed record UsageBar(string Label, long Wh, string Kwh);

/// <summary>What a meter used lately: per day, per hour of the last day, and per time-of-use period for TOU tariffs.</summary>
/// <param name="Zone">The zone days and hours are counted in: the tariff's.</param>
/// <param name="TimeOfUse">Null unless the meter's tariff is time of use.</param>
public sealed record Usage(string Zone, IReadOnlyList<UsageBar> Daily, IReadOnlyList<UsageBar> Hourly, IReadOnlyList<UsageBar>? TimeOfUse)
{
    public bool IsEmpty => Daily.All(d => d.Wh == 0) && Hourly.All(h => h.Wh == 0);
}

/// <summary>
/// Sums a meter's interval readings into chart bars. Each reading closes a 15-minute interval, so it counts for
/// the day and hour its interval lies in (a reading at 00:00 belongs to the day before). Time-of-use periods are the
/// tariff engine's own split of each interval (<see cref="TouPricing.Split"/>), so the chart shows what the customer
/// is charged for. Integers throughout; kWh are only formatted.
/// </summary>
public static class UsageSeries
{
    public static readonly Duration Interval = Duration.FromMinutes(15);
    public const int Days = 14;
    public const int Hours = 24;

    /// <param name="since">Readings before this are not shown (the meter's current installation: an earlier tenant's use is not theirs).</param>
    public static async Task<Usage> ForMeterAsync(PrepayDb db, Guid meterId, Instant? since, TariffDocument? tariff, Instant now, CancellationToken ct)
    {
        var zone = tariff?.TimeZone ?? DateTimeZone.Utc;
        var today = now.InZone(zone).Date;
        var firstDay = today.PlusDays(-(Days - 1));
        var from = zone.AtStartOfDay(firstDay).ToInstant();
        if (since is { } s && s > from)
        {
            from = s;
        }
        var readings = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId && r.At > from && r.At <= now)
            .OrderBy(r => r.At).Select(r => new { r.At, r.DeltaWh }).ToListAsync(ct);

        var daily = new long[Days];
        var hourStart = now.InZone(zone).LocalDateTime.With(TimeAdjusters.TruncateToHour).PlusHours(-(Hours - 1));
        var hourly = new long[Hours];
        var periods = new Dictionary<string, long>(StringComparer.Ordinal);
        var tou = tariff?.Energy is TimeOfUseCharge;
        foreach (var r in readings)
        {
            var local = (r.At - Duration.Epsilon).InZone(zone).LocalDateTime;
            var day = Period.Between(firstDay, local.Date, PeriodUnits.Days).Days;
            if (day is >= 0 and < Days)
            {
                daily[day] += r.DeltaWh;
            }
            var hour = Period.Between(hourStart, local.With(TimeAdjusters.TruncateToHour), PeriodUnits.Hours).Hours;
            if (hour is >= 0 and < Hours)
            {
                hourly[hour] += r.DeltaWh;
            }
            if (tou && r.DeltaWh > 0)
            {
                foreach (var slice in TouPricing.Split(tariff!, r.At - Interval, r.At, new Energy(r.DeltaWh)))
                {
                    periods[slice.Period] = periods.GetValueOrDefault(slice.Period) + slice.Energy.WattHours;
                }
            }
        }
        return new Usage(zone.Id,
            daily.Select((wh, i) => Bar(firstDay.PlusDays(i).ToString("ddd d MMM", CultureInfo.InvariantCulture), wh)).ToList(),
            hourly.Select((wh, i) => Bar(hourStart.PlusHours(i).ToString("HH:00", CultureInfo.InvariantCulture), wh)).ToList(),
            tou ? PeriodsInOrder(tariff!, periods).Select(p => Bar(TariffExplainer.PeriodName(p.Key), p.Value)).ToList() : null);
    }

    private static UsageBar Bar(string label, long wh) => new(label, wh, new Energy(wh).ToKilowattHoursString());

    /// <summary>Every period of the tariff, dearest first (by its highest rate in any season), also those with no use.</summary>
    private static IEnumerable<KeyValuePair<string, long>> PeriodsInOrder(TariffDocument tariff, Dictionary<string, long> used) =>
        ((TimeOfUseCharge)tariff.Energy).Seasons.SelectMany(s => s.Rates)
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(r => r.Value.ScaledMinorPerKwh))
            .Select(g => new KeyValuePair<string, long>(g.Key, used.GetValueOrDefault(g.Key)));
}
