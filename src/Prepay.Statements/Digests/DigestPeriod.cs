using System.Globalization;
using NodaTime;
using NodaTime.Calendars;
using Prepay.Storage.Records.Statements;

namespace Prepay.Statements.Digests;

/// <summary>The last whole period a digest sums up, and its name in the outbox's dedup key (one digest per period).</summary>
public sealed record DigestPeriod(LocalDate From, LocalDate To, string Key)
{
    /// <summary>
    /// At <paramref name="local"/>: the day before (daily) or the last whole ISO week, Monday to Sunday, before it
    /// (weekly), once <paramref name="after"/> has passed on the day after it, so the period's late readings are in.
    /// </summary>
    public static DigestPeriod Last(DigestFrequency frequency, LocalDateTime local, LocalTime after)
    {
        var lastDay = local.TimeOfDay >= after ? local.Date.PlusDays(-1) : local.Date.PlusDays(-2);
        if (frequency == DigestFrequency.Daily)
        {
            return new DigestPeriod(lastDay, lastDay, lastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
        var sunday = lastDay.With(DateAdjusters.PreviousOrSame(IsoDayOfWeek.Sunday));
        var monday = sunday.PlusDays(-6);
        var week = WeekYearRules.Iso;
        return new DigestPeriod(monday, sunday,
            string.Create(CultureInfo.InvariantCulture, $"{week.GetWeekYear(monday)}-W{week.GetWeekOfWeekYear(monday):00}"));
    }
}
