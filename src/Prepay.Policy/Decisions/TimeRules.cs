using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Prepay.Policy.Documents;
using Prepay.Policy.Holidays;

namespace Prepay.Policy.Decisions;

/// <summary>
/// The rules that depend on the instant: the grace after a switch to prepaid, seasonal moratoria, public holidays
/// and friendly hours, in that order. Each answers at an instant whether it refuses and until when, so the
/// evaluator can walk forward to the first instant none refuses. Local times are resolved in the site's zone
/// leniently (a time skipped by a clock change moves forward by the gap, an ambiguous one takes the earlier
/// offset), and every window is compared as instants, so a window is right on the days the clocks change.
/// </summary>
internal sealed class TimeRules(PolicyDocument policy, DisconnectionRequest request, HolidayCalendars calendars)
{
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private DateTimeZone Zone => request.Zone;

    public Denial? FirstAt(Instant t) => Grace(t) ?? Moratoria(t) ?? Holiday(t) ?? Friendly(t);

    private Denial? Grace(Instant t)
    {
        if (policy.GraceAfterSwitch is not { } grace || request.SwitchedToPrepaidAt is not { } switched)
        {
            return null;
        }
        var end = Resolve(switched.InZone(Zone).LocalDateTime.Plus(grace));
        return t < end
            ? new Denial("grace.afterSwitch",
                $"your meter switched to prepaid on {Date.Format(switched.InZone(Zone).Date)} and no supply is cut in the first {Describe(grace)} after the switch", end)
            : null;
    }

    private Denial? Moratoria(Instant t)
    {
        var date = t.InZone(Zone).Date;
        foreach (var m in policy.Protections.Moratoria)
        {
            if (m.AppliesTo == MoratoriumScope.Protected && request.Protections == CustomerProtections.None)
            {
                continue;
            }
            // The season that began this year or, when it runs over the new year, last year.
            foreach (var startYear in (int[])[date.Year - 1, date.Year])
            {
                var from = m.From.InYear(startYear);
                var to = m.To.InYear(m.To.CompareTo(m.From) >= 0 ? startYear : startYear + 1);
                if (date >= from && date <= to)
                {
                    var scope = m.AppliesTo == MoratoriumScope.Protected ? " for protected households" : "";
                    return new Denial($"moratorium.{m.Name}",
                        $"it is the {m.Name} moratorium ({Date.Format(from)} to {Date.Format(to)}), when no supply is cut{scope}",
                        Resolve(to.PlusDays(1).AtMidnight()));
                }
            }
        }
        return null;
    }

    private Denial? Holiday(Instant t)
    {
        if (policy.PublicHolidays is not { } rule)
        {
            return null;
        }
        var region = request.HolidayRegion ?? rule.Region;
        var date = t.InZone(Zone).Date;
        var calendar = calendars.Find(region);
        if (calendar is null || !calendar.Covers(date.Year))
        {
            // Unknown is not holiday-free: refusing until the calendar is extended fails safe.
            return new Denial($"holiday.{region}.{date.Year}.unknown",
                $"the public holidays of {region} for {date.Year} are not known, so no day of that year can be checked", null);
        }
        return calendar.HolidayOn(date) is { } name
            ? new Denial($"holiday.{region}.{Date.Format(date)}",
                $"{Date.Format(date)} is a public holiday ({name}), when no supply is cut", Resolve(date.PlusDays(1).AtMidnight()))
            : null;
    }

    private Denial? Friendly(Instant t)
    {
        var today = t.InZone(Zone).Date;
        // A window of yesterday may run into today.
        foreach (var day in (LocalDate[])[today.PlusDays(-1), today])
        {
            foreach (var w in policy.FriendlyHours.On(day.DayOfWeek))
            {
                var start = Resolve(day.At(w.Start));
                var end = Resolve((w.EndsNextDay ? day.PlusDays(1) : day).At(w.End));
                if (start <= t && t < end)
                {
                    var name = day.DayOfWeek.ToString();
                    var endText = w.EndsNextDay && w.End == LocalTime.Midnight ? "24:00" : Time.Format(w.End) + (w.EndsNextDay ? " the next day" : "");
                    return new Denial($"friendlyHours.{name.ToLowerInvariant()}",
                        $"it is within friendly hours ({name} {Time.Format(w.Start)} to {endText}), when no supply is cut", end);
                }
            }
        }
        return null;
    }

    private Instant Resolve(LocalDateTime local) => local.InZoneLeniently(Zone).ToInstant();

    private static string Describe(Period p) =>
        p.HasTimeComponent || p.Years != 0 || p.Months != 0 || p.Weeks != 0
            ? PeriodPattern.NormalizingIso.Format(p)
            : p.Days.ToString(CultureInfo.InvariantCulture) + (p.Days == 1 ? " day" : " days");
}
