using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterData.Forecast;

/// <summary>The energy of an interval ending at <paramref name="End"/>, as a meter's interval readings give it.</summary>
public sealed record ConsumptionPoint(Instant End, Energy Energy);

/// <summary>How a forecast was made: from the meter's own usage by weekday and hour, or (too little history) a flat average.</summary>
public enum ForecastMethod
{
    WeekdayHour,
    FlatAverage,
    None,
}

/// <summary>
/// When the credit is expected to run out: the instant, the time left from the forecast's instant, and how it was
/// worked out. <see cref="RunsOutAt"/> is null when the meter uses nothing or the credit outlasts the horizon.
/// </summary>
public sealed record CreditForecast(Instant At, Energy Credit, Instant? RunsOutAt, ForecastMethod Method)
{
    public Duration? Left => RunsOutAt is { } end ? end - At : null;

    /// <summary>Whole days left, rounded down (what a display shows: "3 days" means at least three).</summary>
    public int? DaysLeft => Left is { } left ? (int)Math.Floor(left.TotalDays) : null;

    /// <summary>
    /// Whole days left as seen at <paramref name="now"/>, rounded down and never below zero: the forecast starts when
    /// the credit was read, which may be before now. One rule for every reader (portal, alerts, console), so they agree.
    /// </summary>
    public int? DaysLeftAt(Instant now) => RunsOutAt is { } end ? (int)Math.Floor(Math.Max(0, (end - now).TotalDays)) : null;
}

/// <summary>
/// Days of credit left from a meter's own recent usage (issue 17, item 3). The profile is the mean energy per hour for
/// each weekday and hour of the day, local to the meter's zone, over the last <see cref="HistoryWeeks"/> weeks; an
/// hour the history does not cover takes the mean of that hour over all days, and failing that the mean of all hours.
/// The credit is walked down hour by hour along the profile from the forecast's instant; the hour it reaches zero in
/// is split linearly. A household that cooks at six and is out at work all day runs out on a weekday evening, not at
/// the flat average's instant. Pure: the caller passes the readings, the zone and the instant.
/// </summary>
public static class CreditForecaster
{
    public const int HistoryWeeks = 4;

    /// <summary>How far ahead a forecast looks; credit that lasts longer has no run-out instant.</summary>
    public static readonly Duration Horizon = Duration.FromDays(120);

    private static readonly Duration Hour = Duration.FromHours(1);

    /// <summary>Less history than this (hours covered) gives a flat average instead of a profile.</summary>
    public const int MinimumProfileHours = 7 * 24;

    public static CreditForecast Forecast(IReadOnlyList<ConsumptionPoint> readings, DateTimeZone zone, Instant at, Energy credit)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentNullException.ThrowIfNull(zone);
        var history = readings.Where(r => r.End <= at && r.End > at - Duration.FromDays(7 * HistoryWeeks)).ToList();
        if (credit.WattHours <= 0)
        {
            return new CreditForecast(at, credit, at, ForecastMethod.None);
        }
        var hours = history.GroupBy(r => HourOf(r.End, zone)).ToList();
        if (hours.Count == 0)
        {
            return new CreditForecast(at, credit, null, ForecastMethod.None);
        }
        if (hours.Count < MinimumProfileHours)
        {
            return Flat(readings, at, credit);
        }
        // Energy per (local date, hour) first, so an hour's several readings add up before hours are averaged.
        var byCell = hours.Select(h => (Key: h.Key, Wh: h.Sum(r => r.Energy.WattHours))).ToList();
        var cells = byCell.GroupBy(c => (c.Key.Date.DayOfWeek, c.Key.Hour)).ToDictionary(g => g.Key, g => g.Average(c => (double)c.Wh));
        var hourly = byCell.GroupBy(c => c.Key.Hour).ToDictionary(g => g.Key, g => g.Average(c => (double)c.Wh));
        var overall = byCell.Average(c => (double)c.Wh);
        if (overall <= 0)
        {
            return new CreditForecast(at, credit, null, ForecastMethod.WeekdayHour);
        }
        double left = credit.WattHours;
        var t = at;
        while (t < at + Horizon)
        {
            var local = t.InZone(zone).LocalDateTime;
            var hourEnd = Instant.Min(at + Horizon, zone.AtLeniently(local.Date.At(new LocalTime(local.Hour, 0)).PlusHours(1)).ToInstant());
            if (hourEnd <= t)
            {
                hourEnd = t + Hour;
            }
            var perHour = cells.TryGetValue((local.DayOfWeek, local.Hour), out var cell) ? cell : hourly.TryGetValue(local.Hour, out var h) ? h : overall;
            var use = perHour * ((hourEnd - t) / Hour);
            if (use >= left && use > 0)
            {
                return new CreditForecast(at, credit, t + (hourEnd - t) * (left / use), ForecastMethod.WeekdayHour);
            }
            left -= use;
            t = hourEnd;
        }
        return new CreditForecast(at, credit, null, ForecastMethod.WeekdayHour);
    }

    /// <summary>The flat average over the same history: credit ÷ mean energy per hour.</summary>
    public static CreditForecast Flat(IReadOnlyList<ConsumptionPoint> readings, Instant at, Energy credit)
    {
        ArgumentNullException.ThrowIfNull(readings);
        var history = readings.Where(r => r.End <= at && r.End > at - Duration.FromDays(7 * HistoryWeeks)).ToList();
        if (history.Count < 2 || credit.WattHours <= 0)
        {
            return new CreditForecast(at, credit, credit.WattHours <= 0 ? at : null, ForecastMethod.None);
        }
        var span = history.Max(r => r.End) - history.Min(r => r.End) + Duration.FromMinutes(15);
        var perHour = history.Sum(r => r.Energy.WattHours) / (span / Hour);
        if (perHour <= 0)
        {
            return new CreditForecast(at, credit, null, ForecastMethod.FlatAverage);
        }
        var left = Hour * (credit.WattHours / perHour);
        return new CreditForecast(at, credit, left > Horizon ? null : at + left, ForecastMethod.FlatAverage);
    }

    // The local hour a reading's interval belongs to: the hour in which it started (a reading ends on the quarter hour).
    private static LocalDateTime HourOf(Instant end, DateTimeZone zone)
    {
        var local = (end - Duration.FromMinutes(1)).InZone(zone).LocalDateTime;
        return local.Date.At(new LocalTime(local.Hour, 0));
    }
}
