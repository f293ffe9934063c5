using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Documents;

namespace Prepay.Policy.Documents;

/// <summary>
/// Reads <c>friendlyHours</c>: an object keyed by weekday ("monday" … "sunday"), each an array of windows
/// <c>{"start": "18:00", "end": "08:00", "nextDay": true}</c>. "24:00" as an end means midnight at the end of the
/// day. A window that crosses midnight says so with <c>nextDay</c>, so a typing slip (08:00 to 06:00) is an error,
/// not a 22-hour window.
/// </summary>
internal static class FriendlyHoursReader
{
    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    public static readonly IReadOnlyDictionary<string, IsoDayOfWeek> DayNames = new Dictionary<string, IsoDayOfWeek>(StringComparer.Ordinal)
    {
        ["monday"] = IsoDayOfWeek.Monday,
        ["tuesday"] = IsoDayOfWeek.Tuesday,
        ["wednesday"] = IsoDayOfWeek.Wednesday,
        ["thursday"] = IsoDayOfWeek.Thursday,
        ["friday"] = IsoDayOfWeek.Friday,
        ["saturday"] = IsoDayOfWeek.Saturday,
        ["sunday"] = IsoDayOfWeek.Sunday,
    };

    public static FriendlyHours Read(JsonObjectReader f)
    {
        var days = new Dictionary<IsoDayOfWeek, IReadOnlyList<FriendlyWindow>>();
        foreach (var name in f.Names.ToList())
        {
            if (!DayNames.TryGetValue(name, out var day))
            {
                throw f.Error(name, "is not a day of the week (monday … sunday, in lower case)");
            }
            days[day] = f.Objects(name, required: true).Select(Window).ToList();
        }
        f.RefuseUnknown();
        return new FriendlyHours(days);
    }

    private static FriendlyWindow Window(JsonObjectReader w)
    {
        var start = TimeOf(w, "start", allowEndOfDay: false);
        var (end, endOfDay) = (TimeOf(w, "end", allowEndOfDay: true), w.String("end") == "24:00");
        var nextDay = w.OptionalBoolean("nextDay") ?? false;
        w.RefuseUnknown();
        if (endOfDay)
        {
            if (nextDay)
            {
                throw w.Error("end", "\"24:00\" already ends the day; a window into the next day ends at a time of that day");
            }
            return new FriendlyWindow(start, LocalTime.Midnight, EndsNextDay: true);
        }
        if (!nextDay && end <= start)
        {
            throw w.Error("end", "must be after start (a window that ends the next day says \"nextDay\": true)");
        }
        if (nextDay && end > start)
        {
            throw w.Error("end", "must be at or before start when the window ends the next day (no window is longer than 24 hours)");
        }
        return new FriendlyWindow(start, end, nextDay);
    }

    private static LocalTime TimeOf(JsonObjectReader w, string name, bool allowEndOfDay)
    {
        var text = w.String(name);
        if (allowEndOfDay && text == "24:00")
        {
            return LocalTime.Midnight;
        }
        var parsed = Time.Parse(text);
        return parsed.Success ? parsed.Value : throw w.Error(name, "must be a local time such as \"18:00\"" + (allowEndOfDay ? " (or \"24:00\")" : ""));
    }
}
