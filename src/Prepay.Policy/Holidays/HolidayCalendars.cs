using System.Collections.Frozen;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;
using Prepay.Policy.Documents;
using Prepay.Domain.Documents;

namespace Prepay.Policy.Holidays;

/// <summary>
/// The holiday calendars a policy may name, by region code (GB-ENG, IN-UP, ZA). <see cref="Shipped"/> holds the
/// calendars embedded in this module (<c>Holidays/*.json</c>, each citing its source).
/// </summary>
public sealed class HolidayCalendars
{
    private readonly FrozenDictionary<string, HolidayCalendar> byRegion;

    public HolidayCalendars(IEnumerable<HolidayCalendar> calendars)
    {
        byRegion = calendars.ToFrozenDictionary(c => c.Region, StringComparer.Ordinal);
    }

    public static HolidayCalendars Shipped { get; } = new(LoadEmbedded());

    public IEnumerable<string> Regions => byRegion.Keys.Order(StringComparer.Ordinal);

    public HolidayCalendar? Find(string region) => byRegion.GetValueOrDefault(region);

    /// <summary>Reads one calendar file; the first problem is thrown with its JSON path.</summary>
    public static HolidayCalendar Parse(string json)
    {
        using var document = PolicyDocumentJson.ParseJson(json);
        var root = JsonObjectReader.Of(document.RootElement, "$", PolicyFormatException.Of);
        var region = root.NonBlank("region");
        var name = root.NonBlank("name");
        var source = root.NonBlankStrings("source", required: true);
        if (source.Count == 0)
        {
            throw root.Error("source", "must cite where the dates come from");
        }
        var first = (int)root.Integer("firstYear");
        var last = (int)root.Integer("lastYear");
        if (first < 1900 || last < first || last > 2200)
        {
            throw root.Error("lastYear", "must be a year from firstYear to 2200");
        }
        var days = new Dictionary<LocalDate, string>();
        foreach (var day in root.Objects("holidays", required: true))
        {
            var text = day.String("date");
            var parsed = LocalDatePattern.Iso.Parse(text);
            if (!parsed.Success)
            {
                throw day.Error("date", "must be a date such as \"2027-01-26\"");
            }
            if (parsed.Value.Year < first || parsed.Value.Year > last)
            {
                throw day.Error("date", $"is outside the years the calendar covers ({first} to {last})");
            }
            var label = day.NonBlank("name");
            if (!days.TryAdd(parsed.Value, label))
            {
                days[parsed.Value] = days[parsed.Value] + "; " + label; // two holidays on one day
            }
            day.RefuseUnknown();
        }
        root.NonBlankStrings("notes", required: false);
        root.RefuseUnknown();
        return new HolidayCalendar(region, name, source, first, last, days);
    }

    private static IEnumerable<HolidayCalendar> LoadEmbedded()
    {
        var assembly = typeof(HolidayCalendars).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("Prepay.Policy.Holidays.", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return Parse(reader.ReadToEnd());
        }
    }
}
