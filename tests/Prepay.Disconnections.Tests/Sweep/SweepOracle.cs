using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Prepay.Policy.Holidays;
using Prepay.Policy.Presets;

namespace Prepay.Disconnections.Tests.Sweep;

/// <summary>
/// When a preset forbids a cut, read from the preset's JSON text directly, not through the policy module's reader or
/// evaluator, so the sweep's check does not share their mistakes: friendly windows of the local weekday (and of the
/// day before, for a window that runs past midnight), the public holidays of the named region, and the grace after
/// the switch to prepaid. Protected households and emergency credit are the sweep's own knowledge.
/// </summary>
public sealed class SweepOracle
{
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private readonly Dictionary<IsoDayOfWeek, List<(LocalTime Start, LocalTime End, bool EndOfDay, bool NextDay)>> _windows = [];
    private readonly HashSet<LocalDate> _holidays = [];
    private readonly Period? _grace;

    public SweepOracle(string preset)
    {
        using var json = JsonDocument.Parse(PolicyPresets.Json(preset));
        var root = json.RootElement;
        if (root.TryGetProperty("friendlyHours", out var hours))
        {
            foreach (var day in hours.EnumerateObject())
            {
                var weekday = Enum.Parse<IsoDayOfWeek>(day.Name, ignoreCase: true);
                _windows[weekday] = [.. day.Value.EnumerateArray().Select(w =>
                {
                    var end = w.GetProperty("end").GetString()!;
                    var nextDay = w.TryGetProperty("nextDay", out var n) && n.GetBoolean();
                    return (Time.Parse(w.GetProperty("start").GetString()!).Value, end == "24:00" ? LocalTime.Midnight : Time.Parse(end).Value, end == "24:00", nextDay);
                })];
            }
        }
        if (root.TryGetProperty("publicHolidays", out var holidays))
        {
            _holidays.UnionWith(HolidayCalendars.Shipped.Find(holidays.GetProperty("region").GetString()!)!.Days.Keys);
        }
        if (root.TryGetProperty("graceAfterSwitch", out var grace))
        {
            _grace = PeriodPattern.Roundtrip.Parse(grace.GetString()!).Value;
        }
    }

    /// <summary>Why a cut at <paramref name="local"/> is forbidden, or null.</summary>
    public string? Forbids(LocalDateTime local, LocalDateTime switchedToPrepaid)
    {
        if (_holidays.Contains(local.Date))
        {
            return $"a public holiday ({local.Date})";
        }
        if (_grace is { } g && local < switchedToPrepaid.Plus(g))
        {
            return "the grace after the switch to prepaid";
        }
        foreach (var day in (LocalDate[])[local.Date.PlusDays(-1), local.Date])
        {
            foreach (var (start, end, endOfDay, nextDay) in _windows.GetValueOrDefault(day.DayOfWeek) ?? [])
            {
                var from = day.At(start);
                var to = endOfDay ? day.PlusDays(1).AtMidnight() : (nextDay ? day.PlusDays(1) : day).At(end);
                if (from <= local && local < to)
                {
                    return $"friendly hours ({day.DayOfWeek} {start} to {(endOfDay ? "24:00" : end.ToString())})";
                }
            }
        }
        return null;
    }
}
