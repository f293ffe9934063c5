using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;

namespace Prepay.Tariffs.TimeOfUse;

/// <summary>
/// Prices smart-meter consumption as it happens. Periods are defined in local time of day, so an interval is
/// walked in the tariff's zone: within one zone interval (constant UTC offset) local time moves with the instant,
/// and each zone transition (a DST change) is a cut. A 23-hour spring day and a 25-hour autumn day therefore
/// price exactly the hours that exist, and a repeated local hour is priced twice, once per occurrence.
/// </summary>
public static class TouPricing
{
    /// <summary>The season, period and rate in force at an instant.</summary>
    public static (string Season, string Period, EnergyRate Rate) RateAt(TariffDocument tariff, Instant at)
    {
        var tou = Require(tariff);
        var local = at.InZone(tariff.TimeZone).LocalDateTime;
        var season = tou.SeasonOn(local.Date);
        var (current, _) = season.PeriodAt(tou.DayTypeOf(local.Date), local.TimeOfDay);
        return (season.Name, current.Period, season.Rates[current.Period]);
    }

    /// <summary>
    /// Cuts [<paramref name="from"/>, <paramref name="to"/>) at every period, season and day boundary and shares
    /// <paramref name="energy"/> among the slices in proportion to their duration (the meter reports one total per
    /// interval, so consumption is taken as even within it). Shares are floors of cumulative proportions, so they
    /// add up to exactly <paramref name="energy"/>.
    /// </summary>
    public static IReadOnlyList<TouSlice> Split(TariffDocument tariff, Instant from, Instant to, Energy energy)
    {
        if (to <= from)
        {
            throw new ArgumentException("An interval must end after it starts.", nameof(to));
        }
        ArgumentOutOfRangeException.ThrowIfNegative(energy.WattHours, nameof(energy));
        var tou = Require(tariff);
        var cuts = Cut(tariff, tou, from, to);
        var total = (to - from).ToInt64Nanoseconds();
        var slices = new List<TouSlice>(cuts.Count);
        long elapsed = 0;
        long assigned = 0;
        foreach (var (start, end, season, period, rate) in cuts)
        {
            elapsed += (end - start).ToInt64Nanoseconds();
            var cumulative = IntegerRounding.ToLong(IntegerRounding.Floor((Int128)energy.WattHours * elapsed, total));
            slices.Add(new TouSlice(start, end, season, period, rate, new Energy(cumulative - assigned)));
            assigned = cumulative;
        }
        return slices;
    }

    /// <summary>
    /// What the consumption costs the customer: the exact sum of slice energy × rate, rounded UP once to a minor
    /// unit, plus exclusive taxes (each rounded up). This is the amount to take off a smart meter's money credit.
    /// </summary>
    public static Money PriceConsumption(TariffDocument tariff, Instant from, Instant to, Energy energy)
    {
        Int128 numerator = 0;
        foreach (var slice in Split(tariff, from, to, energy))
        {
            numerator += slice.Rate.ExactCostNumerator(slice.Energy);
        }
        var price = new Money(IntegerRounding.ToLong(IntegerRounding.Ceiling(numerator, EnergyRate.CostDenominator)), tariff.Currency);
        return TaxCalculator.WithExclusiveTaxes(tariff.Taxes, price);
    }

    private static List<(Instant Start, Instant End, string Season, string Period, EnergyRate Rate)> Cut(
        TariffDocument tariff, TimeOfUseCharge tou, Instant from, Instant to)
    {
        var zone = tariff.TimeZone;
        var cuts = new List<(Instant, Instant, string, string, EnergyRate)>();
        var t = from;
        while (t < to)
        {
            var interval = zone.GetZoneInterval(t);
            var local = t.InZone(zone).LocalDateTime;
            var season = tou.SeasonOn(local.Date);
            var (current, next) = season.PeriodAt(tou.DayTypeOf(local.Date), local.TimeOfDay);
            var localEnd = next is { } n ? local.Date.At(n) : local.Date.PlusDays(1).AtMidnight();
            // Valid only while the offset stays the same, hence the cap at the zone interval's end.
            var end = localEnd.WithOffset(interval.WallOffset).ToInstant();
            if (interval.HasEnd && interval.End < end)
            {
                end = interval.End;
            }
            if (to < end)
            {
                end = to;
            }
            var rate = season.Rates[current.Period];
            if (cuts.Count > 0 && cuts[^1] is var (s, _, ls, lp, _) && ls == season.Name && lp == current.Period)
            {
                cuts[^1] = (s, end, ls, lp, rate);
            }
            else
            {
                cuts.Add((t, end, season.Name, current.Period, rate));
            }
            t = end;
        }
        return cuts;
    }

    private static TimeOfUseCharge Require(TariffDocument tariff) =>
        tariff.Energy as TimeOfUseCharge
        ?? throw new ArgumentException($"Tariff {tariff.Code} is not a time-of-use tariff.", nameof(tariff));
}
