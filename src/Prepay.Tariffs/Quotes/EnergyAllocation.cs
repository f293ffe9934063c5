using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.Tariffs.Quotes;

/// <summary>
/// Turns money into energy. Energy is a whole number of resolution units (rounded DOWN: never sell energy not
/// paid for); each line costs ceil(energy × rate) minor units (rounded UP), plus exclusive taxes rounded up.
/// The most energy whose cost fits the budget is found by binary search, which is exact because cost never
/// falls as energy grows.
/// </summary>
internal static class EnergyAllocation
{
    public sealed record Result(Energy Energy, IReadOnlyList<EnergyLine> Lines, Money Price, bool IsEstimate);

    public static Result Buy(TariffDocument tariff, Instant at, Energy boughtThisMonth, Money budget, long resolutionWh)
    {
        var (split, isEstimate) = Segments(tariff, at, boughtThisMonth);
        var currency = tariff.Currency;
        var taxes = tariff.Taxes;
        bool Fits(long units) =>
            TaxCalculator.WithExclusiveTaxes(taxes, Price(split(new Energy(checked(units * resolutionWh))), currency)) <= budget;

        long low = 0;
        var high = UpperBoundUnits(tariff.Energy, TaxCalculator.LargestPriceWithin(taxes, budget), resolutionWh);
        while (low < high)
        {
            var mid = low + (high - low + 1) / 2;
            if (Fits(mid))
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        var segments = split(new Energy(low * resolutionWh));
        var lines = segments
            .Where(s => s.Energy > Energy.Zero)
            .Select(s => new EnergyLine(s.Label, s.Energy, s.Rate, s.Rate.CostRoundedUp(s.Energy, currency)))
            .ToList();
        return new Result(new Energy(low * resolutionWh), lines, Price(segments, currency), isEstimate);
    }

    private static Money Price(IReadOnlyList<EnergySegment> segments, Currency currency) =>
        segments.Aggregate(Money.Zero(currency), (sum, s) => sum + s.Rate.CostRoundedUp(s.Energy, currency));

    private static (Func<Energy, IReadOnlyList<EnergySegment>> Split, bool IsEstimate) Segments(
        TariffDocument tariff, Instant at, Energy boughtThisMonth) => tariff.Energy switch
    {
        FlatRateCharge flat => (e => [new EnergySegment("Energy", e, flat.Rate)], false),
        IncliningBlockCharge blocks => (e => blocks.Split(boughtThisMonth, e), false),
        TimeOfUseCharge => TimeOfUse(tariff, at),
        _ => throw new NotSupportedException($"Unknown energy charge {tariff.Energy.GetType().Name}."),
    };

    // A prepaid time-of-use customer buys money credit; consumption is priced later as it happens. The energy
    // shown is what the credit would buy at the rate in force at the purchase instant, hence an estimate.
    private static (Func<Energy, IReadOnlyList<EnergySegment>>, bool) TimeOfUse(TariffDocument tariff, Instant at)
    {
        var (season, period, rate) = TouPricing.RateAt(tariff, at);
        return (e => [new EnergySegment($"{season} {period} (estimate)", e, rate)], true);
    }

    /// <summary>
    /// Units that cost more than <paramref name="price"/> for sure: every free block's capacity plus what the price
    /// buys at the cheapest non-zero rate.
    /// </summary>
    private static long UpperBoundUnits(EnergyCharge charge, Money price, long resolutionWh)
    {
        var rates = charge switch
        {
            FlatRateCharge f => [(f.Rate, (Energy?)null)],
            IncliningBlockCharge b => b.Blocks.Select(x => (x.Rate, x.UpTo)).ToList(),
            TimeOfUseCharge t => t.Seasons.SelectMany(s => s.Rates.Values).Select(r => (r, (Energy?)null)).ToList(),
            _ => throw new NotSupportedException(),
        };
        Int128 freeWh = rates.Where(r => r.Item1.ScaledMinorPerKwh == 0).Sum(r => r.Item2?.WattHours ?? 0);
        var cheapest = rates.Where(r => r.Item1.ScaledMinorPerKwh > 0).Min(r => r.Item1.ScaledMinorPerKwh);
        var paidWh = (Int128)price.Minor * EnergyRate.CostDenominator / cheapest;
        var units = (freeWh + paidWh) / resolutionWh + 1;
        return units > long.MaxValue / resolutionWh ? long.MaxValue / resolutionWh : (long)units;
    }
}
