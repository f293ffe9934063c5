using System.Globalization;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.Server.Web.Portal;

/// <summary>A tariff in sentences a customer can read: what energy costs, what else is taken from a purchase.</summary>
public sealed record TariffExplanation(string Name, string Code, int Version, IReadOnlyList<string> Energy, IReadOnlyList<string> Charges);

/// <summary>
/// Reads a tariff document and says it in plain words; every number comes from the document as published (exact
/// decimal text, no rounding), so the words cannot disagree with what the engine charges.
/// </summary>
public static class TariffExplainer
{
    public static TariffExplanation Explain(TariffDocument tariff, Instant now)
    {
        var cur = tariff.Currency;
        string Rate(EnergyRate r) => $"{cur.Code} {r.ToMajorString(cur)} per kWh";
        var energy = new List<string>();
        switch (tariff.Energy)
        {
            case FlatRateCharge flat:
                energy.Add($"Every kWh costs {Rate(flat.Rate)}, at any time of day.");
                break;
            case IncliningBlockCharge blocks:
                energy.Add("The more you buy in a month, the more each further kWh costs. The count starts again on the 1st of every month.");
                var lower = Energy.Zero;
                foreach (var block in blocks.Blocks)
                {
                    energy.Add(block.UpTo is { } upTo
                        ? lower == Energy.Zero ? $"The first {Kwh(upTo)} kWh of the month: {Rate(block.Rate)}." : $"From {Kwh(lower)} to {Kwh(upTo)} kWh: {Rate(block.Rate)}."
                        : $"Above {Kwh(lower)} kWh: {Rate(block.Rate)}.");
                    lower = block.UpTo ?? lower;
                }
                break;
            case TimeOfUseCharge tou:
                var date = tariff.LocalDateOf(now);
                var season = tou.SeasonOn(date);
                var (_, period, rate) = TouPricing.RateAt(tariff, now);
                energy.Add($"The price depends on the time of day and the season. It is now the {season.Name} season ({Day(season.From)} to {Day(season.To)}); right now it is {PeriodName(period).ToLowerInvariant()} time, at {Rate(rate)}.");
                foreach (var (name, rateOf) in season.Rates.OrderByDescending(r => r.Value.ScaledMinorPerKwh))
                {
                    energy.Add($"{PeriodName(name)}: {Rate(rateOf)}.");
                }
                energy.Add($"Weekdays: {Schedule(season, DayType.Weekday)}.");
                energy.Add($"Saturdays: {Schedule(season, DayType.Saturday)}.");
                energy.Add($"Sundays: {Schedule(season, DayType.Sunday)}.");
                energy.Add($"Public holidays: {Schedule(season, DayType.PublicHoliday)}.");
                energy.Add("Times are local time in " + tariff.TimeZone.Id + ".");
                break;
        }

        var charges = new List<string>();
        foreach (var fixedCharge in tariff.FixedCharges)
        {
            charges.Add($"{fixedCharge.Name}: {cur.Code} {fixedCharge.Amount.ToDecimalString()} a {(fixedCharge.Per == FixedChargePeriod.Day ? "day" : "month")}, taken from your next purchase.");
        }
        foreach (var tax in tariff.Taxes)
        {
            charges.Add(tax.Inclusive
                ? $"Prices include {tax.Name} at {tax.Rate.ToPercentString()} %."
                : $"{tax.Name} at {tax.Rate.ToPercentString()} % is added to the prices.");
        }
        if (tariff.DebtRecovery is { } debt)
        {
            charges.Add($"If you owe money on your account, {debt.Percent.ToPercentString()} % of each purchase pays it back"
                + (debt.MonthlyCap is { } cap ? $", at most {cur.Code} {cap.ToDecimalString()} a month." : "."));
        }
        if (tariff.FreeBasic is { } free)
        {
            charges.Add($"Households registered as indigent get {Kwh(free.MonthlyAllowance)} kWh free every month.");
        }
        if (charges.Count == 0)
        {
            charges.Add("Nothing else is taken from your purchases.");
        }
        return new TariffExplanation(tariff.Name, tariff.Code, tariff.Version, energy, charges);
    }

    /// <summary>"offPeak" → "Off-peak", "peak" → "Peak": how a period is named to people.</summary>
    public static string PeriodName(string period) => period switch
    {
        "offPeak" => "Off-peak",
        "peak" => "Peak",
        "standard" => "Standard",
        _ => period.Length > 0 ? char.ToUpperInvariant(period[0]) + period[1..] : period,
    };

    private static string Schedule(TouSeason season, DayType day)
    {
        var switches = season.Days[day];
        return string.Join(", ", switches.Select((s, i) =>
            $"{PeriodName(s.Period).ToLowerInvariant()} {Time(s.From)}–{(i + 1 < switches.Count ? Time(switches[i + 1].From) : "24:00")}"));
    }

    private static string Time(LocalTime t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    // A leap year, so that a season edge on 29 February can be written too.
    private static string Day(AnnualDate d) => new LocalDate(2000, d.Month, d.Day).ToString("d MMMM", CultureInfo.InvariantCulture);

    private static string Kwh(Energy e) =>
        e.WattHours % 1000 == 0 ? (e.WattHours / 1000).ToString(CultureInfo.InvariantCulture) : e.ToKilowattHoursString();
}
