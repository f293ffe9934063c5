using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Rates;
using Prepay.Domain.Documents;

namespace Prepay.Tariffs.TimeOfUse;

/// <summary>
/// Reads <c>energy</c> of type timeOfUse. Checks that seasons cover every day of a leap year exactly once and that
/// every day schedule starts at 00:00 with strictly increasing switch times naming a period of its season.
/// </summary>
internal static class TimeOfUseReader
{
    private static readonly (DayType Type, string Field)[] DayFields =
        [(DayType.Weekday, "weekday"), (DayType.Saturday, "saturday"), (DayType.Sunday, "sunday"), (DayType.PublicHoliday, "publicHoliday")];

    public static TimeOfUseCharge Read(JsonObjectReader e, Currency currency)
    {
        var holidays = e.Strings("publicHolidays", required: false)
            .Select(h => LocalDatePattern.Iso.Parse(h.Value) is { Success: true } r
                ? r.Value
                : throw new TariffFormatException(h.Path, "must be a date such as \"2026-12-25\""))
            .ToList();
        var items = e.Objects("seasons", required: true);
        if (items.Count == 0)
        {
            throw e.Error("seasons", "must list at least one season");
        }
        var seasons = items.Select(s => Season(s, currency)).ToList();
        TariffReader.Unique(seasons.Select(s => s.Name), e.PathOf("seasons"), "name");
        CheckCoverage(seasons, e.PathOf("seasons"));
        return new TimeOfUseCharge(seasons, holidays.Distinct().Order().ToList());
    }

    private static TouSeason Season(JsonObjectReader s, Currency currency)
    {
        var name = s.NonBlank("name");
        var from = TariffReader.Parse(s, "from", EnergyChargeReader.Day, "must be a month and day such as \"06-01\"");
        var to = TariffReader.Parse(s, "to", EnergyChargeReader.Day, "must be a month and day such as \"08-31\"");
        var rates = new Dictionary<string, EnergyRate>(StringComparer.Ordinal);
        foreach (var (period, text, path) in s.StringMap("rates"))
        {
            if (text is null)
            {
                throw new TariffFormatException(path, "must be a rate such as \"2.5123\"");
            }
            var rate = TariffReader.Rate(text, path, currency);
            rates[period] = rate.ScaledMinorPerKwh == 0 ? throw new TariffFormatException(path, "must be greater than 0") : rate;
        }
        if (rates.Count == 0)
        {
            throw s.Error("rates", "must name at least one period and its rate");
        }
        var days = new Dictionary<DayType, IReadOnlyList<PeriodSwitch>>();
        foreach (var (type, field) in DayFields)
        {
            // Public holidays are priced like Sundays unless the season says otherwise.
            days[type] = type == DayType.PublicHoliday && !s.Has(field) ? days[DayType.Sunday] : Schedule(s, field, rates);
        }
        s.RefuseUnknown();
        return new TouSeason(name, from, to, rates, days);
    }

    private static List<PeriodSwitch> Schedule(JsonObjectReader s, string field, Dictionary<string, EnergyRate> rates)
    {
        var items = s.Objects(field, required: true);
        if (items.Count == 0)
        {
            throw s.Error(field, "must list the periods of the day, the first from \"00:00\"");
        }
        var switches = new List<PeriodSwitch>();
        foreach (var item in items)
        {
            var from = TariffReader.Parse(item, "from", EnergyChargeReader.TimeOfDay, "must be a time of day such as \"07:00\"");
            if (switches.Count == 0 && from != LocalTime.Midnight)
            {
                throw item.Error("from", "must be \"00:00\" on the first period of the day");
            }
            if (switches.Count > 0 && from <= switches[^1].From)
            {
                throw item.Error("from", "must be later than the previous period's start");
            }
            var period = item.NonBlank("period");
            if (!rates.ContainsKey(period))
            {
                throw item.Error("period", $"'{period}' has no rate in this season's rates");
            }
            item.RefuseUnknown();
            switches.Add(new PeriodSwitch(from, period));
        }
        return switches;
    }

    private static void CheckCoverage(List<TouSeason> seasons, string path)
    {
        // 2000 is a leap year, so 29 February is checked too.
        for (var day = new LocalDate(2000, 1, 1); day.Year == 2000; day = day.PlusDays(1))
        {
            var covering = seasons.Select((s, i) => (s, i)).Where(x => x.s.Contains(day)).Select(x => x.i).ToList();
            var text = EnergyChargeReader.Day.Format(new AnnualDate(day.Month, day.Day));
            if (covering.Count == 0)
            {
                throw new TariffFormatException(path, $"must cover every day of the year; no season covers {text}");
            }
            if (covering.Count > 1)
            {
                throw new TariffFormatException($"{path}[{covering[1]}]", $"overlaps {path}[{covering[0]}] on {text}");
            }
        }
    }
}
