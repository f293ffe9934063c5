using NodaTime;
using Prepay.MeterLink.Commands;
using Prepay.Policy.Decisions;
using Prepay.Policy.Documents;
using Prepay.Policy.Holidays;

namespace Prepay.Disconnections.Push;

/// <summary>
/// The policy's rules as a meter that holds its own credit can keep them (<see cref="SetCreditPolicy"/>), in the
/// site's local time: each weekday's friendly windows; as "holidays" (whole local days it must not cut on) the
/// public holidays of the policy's region, the days of any seasonal moratorium that applies to the household, and the
/// days of the grace period after the switch to prepaid, from the first of January of this year to the end of next
/// year (so the command changes once a year, not daily); and whether the household is protected. A part-day of grace
/// becomes the whole day: every rounding errs on supplying. Emergency credit goes apart, as the meter's own setting (<see cref="EmergencyCreditSetting"/>).
/// </summary>
public static class MeterRules
{
    public const int MaxDays = 400;

    public static SetCreditPolicy For(MeterSituation situation, Instant now, HolidayCalendars calendars)
    {
        var policy = situation.Policy;
        var zone = situation.Zone;
        var thisYear = now.InZone(zone).Year;
        var first = new LocalDate(thisYear, 1, 1);
        var last = new LocalDate(thisYear + 1, 12, 31);
        var protectedHousehold =
            (policy.Protections.NeverMedical && situation.Protections.HasFlag(CustomerProtections.Medical))
            || (policy.Protections.NeverVulnerable && situation.Protections.HasFlag(CustomerProtections.Vulnerable));

        var days = new SortedSet<LocalDate>();
        if (policy.PublicHolidays is { } rule && calendars.Find(rule.Region) is { } calendar)
        {
            days.UnionWith(calendar.Days.Keys.Where(d => d >= first && d <= last));
        }
        foreach (var m in policy.Protections.Moratoria)
        {
            if (m.AppliesTo == MoratoriumScope.Protected && situation.Protections == CustomerProtections.None)
            {
                continue;
            }
            for (var year = thisYear - 1; year <= thisYear + 1; year++)
            {
                var from = m.From.InYear(year);
                var to = m.To.InYear(m.To.CompareTo(m.From) >= 0 ? year : year + 1);
                days.UnionWith(Dates(Max(from, first), Min(to, last)));
            }
        }
        if (policy.GraceAfterSwitch is { } grace && situation.SwitchedToPrepaidAt is { } switched)
        {
            var start = switched.InZone(zone).LocalDateTime;
            var end = start.Plus(grace);
            days.UnionWith(Dates(Max(start.Date, first), Min(end.TimeOfDay == LocalTime.Midnight ? end.Date.PlusDays(-1) : end.Date, last)));
        }
        return new SetCreditPolicy(policy.Code, policy.Version, Windows(policy.FriendlyHours), [.. days.Take(MaxDays)], protectedHousehold);
    }

    private static List<WeeklyWindow> Windows(FriendlyHours hours)
    {
        var windows = new List<WeeklyWindow>();
        foreach (var day in Enum.GetValues<IsoDayOfWeek>().Where(d => d != IsoDayOfWeek.None))
        {
            foreach (var w in hours.On(day))
            {
                var start = w.Start.Hour * 60 + w.Start.Minute;
                var end = w.End.Hour * 60 + w.End.Minute + (w.EndsNextDay ? 1440 : 0);
                if (end > start)
                {
                    windows.Add(new WeeklyWindow(day, w.Start, end - start));
                }
            }
        }
        return windows;
    }

    private static IEnumerable<LocalDate> Dates(LocalDate from, LocalDate to)
    {
        for (var d = from; d <= to; d = d.PlusDays(1))
        {
            yield return d;
        }
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;
}
