using System.Globalization;
using NodaTime;
using NodaTime.Calendars;

namespace Prepay.Reports.Schedules;

/// <summary>How often a scheduled report is sent, and the last whole period it covers at a moment.</summary>
public static class Cadences
{
    public const string Daily = "daily", Weekly = "weekly", Monthly = "monthly";

    public static IReadOnlyList<string> All { get; } = [Daily, Weekly, Monthly];
}

/// <summary>The last whole period a scheduled report covers, and its name (one email per schedule, period and recipient).</summary>
public sealed record SchedulePeriod(LocalDate From, LocalDate To, string Key)
{
    /// <summary>
    /// At <paramref name="local"/>: yesterday (daily), the last whole ISO week, Monday to Sunday (weekly), or the last
    /// whole calendar month (monthly), counted from the day before once <paramref name="after"/> has passed today, else
    /// from the day before that, so the period's late readings and payments are in.
    /// </summary>
    public static SchedulePeriod Last(string cadence, LocalDateTime local, LocalTime after)
    {
        var lastDay = local.TimeOfDay >= after ? local.Date.PlusDays(-1) : local.Date.PlusDays(-2);
        switch (cadence)
        {
            case Cadences.Daily:
                return new SchedulePeriod(lastDay, lastDay, lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case Cadences.Weekly:
                var sunday = lastDay.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Sunday));
                var monday = sunday.PlusDays(-6);
                var week = WeekYearRules.Iso;
                return new SchedulePeriod(monday, sunday,
                    string.Create(CultureInfo.InvariantCulture, $"{week.GetWeekYear(monday)}-W{week.GetWeekOfWeekYear(monday):00}"));
            case Cadences.Monthly:
                var next = lastDay.PlusDays(1);
                var to = new LocalDate(next.Year, next.Month, 1).PlusDays(-1);
                return new SchedulePeriod(new LocalDate(to.Year, to.Month, 1), to, to.ToString("yyyy-MM", CultureInfo.InvariantCulture));
            default:
                throw new ArgumentOutOfRangeException(nameof(cadence), cadence, "daily, weekly or monthly");
        }
    }
}
