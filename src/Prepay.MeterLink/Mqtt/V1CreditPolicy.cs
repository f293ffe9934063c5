using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Prepay.MeterLink.Commands;

namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// The text forms inside v1's <c>setCreditPolicy</c> (docs/mqtt.md, Command). A command's <c>args</c> may hold only
/// integers, strings and lists of strings (anything else has no signed bytes, docs/mqtt.md "Signed commands"), so a
/// weekly window is one string, <c>"monday 18:00 840"</c> (day, local start, minutes), a holiday an ISO date
/// <c>"2027-01-26"</c>, and <c>protected</c> the integer 0 or 1.
/// </summary>
public static class V1CreditPolicy
{
    /// <summary>Eight windows for each day of the week: room for a split day, few enough for a meter to keep.</summary>
    public const int MaxWindows = 7 * 8;

    /// <summary>More than a year of public holidays ahead, however many a country keeps.</summary>
    public const int MaxHolidays = 400;

    /// <summary>A window may run up to a whole day past the midnight after the day it starts.</summary>
    public const int MaxMinutes = 2 * 1440;

    private static readonly LocalTimePattern Time = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    /// <summary>The v1 <c>args</c> of <paramref name="command"/>; null when v1 cannot carry it exactly (a start that is not a whole minute, a bound broken).</summary>
    public static JsonObject? Write(SetCreditPolicy command)
    {
        if (command.PolicyCode is not { Length: > 0 } || command.PolicyVersion < 0
            || command.FriendlyHours.Count > MaxWindows || command.Holidays.Count > MaxHolidays
            || command.FriendlyHours.Any(w => w.Day == IsoDayOfWeek.None || w.Minutes is < 1 or > MaxMinutes || w.Start.Second != 0 || w.Start.TickOfSecond != 0))
        {
            return null;
        }
        return new JsonObject
        {
            ["policy"] = command.PolicyCode,
            ["version"] = command.PolicyVersion,
            ["friendlyHours"] = new JsonArray([.. command.FriendlyHours.Select(w => JsonValue.Create(Window(w)))]),
            ["holidays"] = new JsonArray([.. command.Holidays.Select(d => JsonValue.Create(Date.Format(d)))]),
            ["protected"] = command.Protected ? 1 : 0,
        };
    }

    /// <summary><c>"monday 18:00 840"</c>: the day in lower case as ISO 8601 names it, the start (24-hour, local), the minutes.</summary>
    public static string Window(WeeklyWindow window) =>
        $"{window.Day.ToString().ToLowerInvariant()} {Time.Format(window.Start)} {window.Minutes}";

    /// <summary>Reads one window's text; false with what is wrong (a sentence that follows the member's name).</summary>
    public static bool TryReadWindow(string text, out WeeklyWindow? window, out string? problem)
    {
        window = null;
        problem = null;
        var parts = text.Split(' ');
        if (parts.Length != 3)
        {
            problem = "must be \"day HH:mm minutes\", as \"monday 18:00 840\"";
            return false;
        }
        if (!Days.TryGetValue(parts[0], out var day))
        {
            problem = $"has no day '{parts[0]}' (monday to sunday, in lower case)";
            return false;
        }
        if (Time.Parse(parts[1]) is not { Success: true } start)
        {
            problem = $"has no time '{parts[1]}' (HH:mm, 00:00 to 23:59)";
            return false;
        }
        if (!int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var minutes)
            || minutes is < 1 or > MaxMinutes)
        {
            problem = $"must last 1 to {MaxMinutes} minutes, not '{parts[2]}'";
            return false;
        }
        window = new WeeklyWindow(day, start.Value, minutes);
        return true;
    }

    /// <summary>Reads an ISO date (<c>yyyy-MM-dd</c>).</summary>
    public static LocalDate? ReadDate(string text) => Date.Parse(text) is { Success: true } d ? d.Value : null;

    private static readonly Dictionary<string, IsoDayOfWeek> Days = Enum.GetValues<IsoDayOfWeek>()
        .Where(d => d != IsoDayOfWeek.None)
        .ToDictionary(d => d.ToString().ToLowerInvariant(), StringComparer.Ordinal);
}
