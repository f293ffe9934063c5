using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Taxes;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.CentralCredit.Pricing;

/// <summary>
/// Prices one interval reading with the tariff in force at its start, exactly, in minor units. Pure: the caller passes
/// the tariff and the meter's <see cref="PricingPosition"/>. Every price comes from <c>Prepay.Tariffs</c>; the order
/// and each rounding:
/// <list type="number">
/// <item>Energy lines. Time of use: <see cref="TouPricing.Split"/> cuts the interval at period, season, day and DST
/// boundaries and shares the Wh exactly by duration. Monthly blocks: <see cref="IncliningBlockCharge.Split"/> on top of
/// <see cref="PricingPosition.EnergyPricedThisMonth"/>. Flat: one line. Each line costs
/// <see cref="Tariffs.Rates.EnergyRate.CostRoundedUp"/> (ceil, as a vend's quote lines: energy never sold below its
/// price).</item>
/// <item>Fixed charges, for each local day the interval touches (tariff's zone) that is not yet in
/// <see cref="PricingPosition.DaysCharged"/>: the day's daily charges, and the month's monthly charges when no day of
/// that month was charged before (<see cref="FixedChargeRecovery.Accrued"/> for one day, never charged: one unit each).
/// A late interval on a day already charged adds no fixed charge, so each day and month is charged once.</item>
/// <item>Taxes on the energy price and on the fixed charges separately (<see cref="TaxCalculator.TaxesOn"/>: exclusive
/// rounded up, inclusive extracted half-even), added line by line, as the vend's quote does.</item>
/// <item>Debt recovery: under central credit the customer's "purchase" is their consumption, so the tariff's share is
/// taken on each interval's cost (<see cref="DebtRecovery.Recover"/>: ceil, within the month's cap and the debt owed).</item>
/// </list>
/// <para>
/// Monthly blocks (documented assumption): the consumption that counts toward a month's blocks is every interval of that
/// calendar month (tariff's zone, by interval start) priced before this one, in the order intervals are priced, not the
/// order they were measured. A late interval is priced on top of what the month already holds and never re-priced, so
/// each interval is charged once and the month's total block energy is right; only which late kWh fell in which block
/// follows arrival. An adjustment (estimate replaced) is re-priced at the position its interval was first priced at.
/// </para>
/// </summary>
public static class IntervalPricing
{
    public static IntervalCharges Price(TariffDocument tariff, IntervalToPrice interval, PricingPosition position)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        ArgumentNullException.ThrowIfNull(interval);
        ArgumentNullException.ThrowIfNull(position);
        Check(tariff, interval, position);
        var currency = tariff.Currency;

        var lines = EnergyLines(tariff, interval, position.EnergyPricedThisMonth);
        var energy = lines.Aggregate(Money.Zero(currency), (sum, l) => sum + l.Cost);

        var (days, fixedCharges) = FixedCharges(tariff, interval, position.DaysCharged);

        var energyTaxes = TaxCalculator.TaxesOn(tariff.Taxes, energy);
        var fixedTaxes = TaxCalculator.TaxesOn(tariff.Taxes, fixedCharges);
        var taxes = energyTaxes.Zip(fixedTaxes, (e, f) => e with { Amount = e.Amount + f.Amount }).ToList();
        var consumption = energy + fixedCharges
            + taxes.Where(t => !t.Inclusive).Aggregate(Money.Zero(currency), (sum, t) => sum + t.Amount);

        var debt = DebtRecovery.Recover(tariff.DebtRecovery, consumption, position.DebtOutstanding, position.DebtRecoveredThisMonth);

        return new IntervalCharges(
            tariff.Code, tariff.Version, interval.Energy, lines, energy, days, fixedCharges, taxes, debt,
            EnergyRevenue: energy - Inclusive(energyTaxes, currency),
            FixedChargeRevenue: fixedCharges - Inclusive(fixedTaxes, currency));
    }

    /// <summary>The local days (tariff's zone) that [start, end) touches, in order.</summary>
    public static IReadOnlyList<LocalDate> DaysTouched(TariffDocument tariff, Instant start, Instant end)
    {
        var first = tariff.LocalDateOf(start);
        var last = tariff.LocalDateOf(end - Duration.Epsilon);
        var days = new List<LocalDate>();
        for (var d = first; d <= last; d = d.PlusDays(1))
        {
            days.Add(d);
        }
        return days;
    }

    private static List<EnergyLine> EnergyLines(TariffDocument tariff, IntervalToPrice interval, Energy pricedThisMonth)
    {
        var currency = tariff.Currency;
        if (interval.Energy == Energy.Zero)
        {
            return [];
        }
        IEnumerable<EnergySegment> segments = tariff.Energy switch
        {
            FlatRateCharge flat => [new EnergySegment("Energy", interval.Energy, flat.Rate)],
            IncliningBlockCharge blocks => blocks.Split(pricedThisMonth, interval.Energy),
            TimeOfUseCharge => TouPricing.Split(tariff, interval.Start, interval.End, interval.Energy)
                .Select(s => new EnergySegment($"{s.Season} {s.Period}", s.Energy, s.Rate)),
            _ => throw new NotSupportedException($"Unknown energy charge {tariff.Energy.GetType().Name}."),
        };
        return segments
            .Where(s => s.Energy > Energy.Zero)
            .Select(s => new EnergyLine(s.Label, s.Energy, s.Rate, s.Rate.CostRoundedUp(s.Energy, currency)))
            .ToList();
    }

    private static (IReadOnlyList<LocalDate> Days, Money Amount) FixedCharges(
        TariffDocument tariff, IntervalToPrice interval, IReadOnlySet<LocalDate> alreadyCharged)
    {
        var currency = tariff.Currency;
        var daily = tariff.FixedCharges.Where(c => c.Per == FixedChargePeriod.Day).ToList();
        var total = Money.Zero(currency);
        var charged = new List<LocalDate>();
        if (tariff.FixedCharges.Count == 0)
        {
            return (charged, total);
        }
        foreach (var day in DaysTouched(tariff, interval.Start, interval.End))
        {
            if (alreadyCharged.Contains(day))
            {
                continue;
            }
            var month = day.ToYearMonth();
            var monthTouched = alreadyCharged.Any(d => d.ToYearMonth() == month) || charged.Any(d => d.ToYearMonth() == month);
            // Accrued with nothing paid yet counts one unit of each charge given: the day's, and the month's on its first day charged.
            total += FixedChargeRecovery.Accrued(monthTouched ? daily : tariff.FixedCharges, null, day, currency);
            charged.Add(day);
        }
        return (charged, total);
    }

    private static Money Inclusive(IReadOnlyList<TaxAmount> taxes, Currency currency) =>
        taxes.Where(t => t.Inclusive).Aggregate(Money.Zero(currency), (sum, t) => sum + t.Amount);

    private static void Check(TariffDocument tariff, IntervalToPrice interval, PricingPosition position)
    {
        if (interval.End <= interval.Start)
        {
            throw new ArgumentException("An interval must end after it starts.", nameof(interval));
        }
        if (interval.Energy.WattHours < 0 || position.EnergyPricedThisMonth.WattHours < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "Energy cannot be negative.");
        }
        if (!ReadingQualities.IsPriced(interval.Quality))
        {
            throw new ArgumentException($"A {interval.Quality} reading is not priced.", nameof(interval));
        }
        if (position.DebtOutstanding.Currency != tariff.Currency || position.DebtRecoveredThisMonth.Currency != tariff.Currency)
        {
            throw new ArgumentException($"Tariff {tariff.Code} is priced in {tariff.Currency}; every amount must be too.", nameof(position));
        }
        if (!tariff.IsEffectiveAt(interval.Start))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), $"Tariff {tariff.Code} v{tariff.Version} applies from {tariff.EffectiveFrom:uuuu-MM-dd}, after {interval.Start}.");
        }
    }
}
