using CsCheck;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.Tariffs.Tests.Quotes;

/// <summary>Random tariffs, accounts and purchases for the property tests.</summary>
internal static class TariffGenerators
{
    // Up to 5000 minor units per kWh, with all four extra digits in play.
    private static readonly Gen<EnergyRate> Rate = Gen.Long[1, 50_000_000].Select(r => new EnergyRate(r));
    private static readonly Gen<EnergyRate> RateOrFree = Gen.Frequency((1, Gen.Const(new EnergyRate(0))), (6, Rate));

    private static readonly Gen<EnergyCharge> Flat = Rate.Select(r => (EnergyCharge)new FlatRateCharge(r));

    private static readonly Gen<EnergyCharge> Blocks =
        from rates in RateOrFree.List[1, 4]
        from last in Rate
        from steps in Gen.Long[1, 300].List[4]
        select (EnergyCharge)new IncliningBlockCharge(rates.Select((r, i) =>
            new EnergyBlock(Energy.FromKilowattHours(steps.Take(i + 1).Sum()), r)).Append(new EnergyBlock(null, last)).ToList());

    private static readonly Gen<EnergyCharge> TimeOfUse =
        from minutes in Gen.Int[1, 1439].List[0, 4]
        from rates in Rate.List[5]
        select (EnergyCharge)Tou(minutes, rates);

    private static TimeOfUseCharge Tou(List<int> minutes, List<EnergyRate> rates)
    {
        var starts = minutes.Distinct().Order().Prepend(0).ToList();
        var switches = starts.Select((m, i) => new PeriodSwitch(LocalTime.FromMinutesSinceMidnight(m), $"p{i}")).ToList();
        var periodRates = switches.Select((s, i) => (s.Period, rates[i])).ToDictionary(x => x.Period, x => x.Item2);
        var days = Enum.GetValues<DayType>().ToDictionary(d => d, IReadOnlyList<PeriodSwitch> (_) => switches);
        return new TimeOfUseCharge([new TouSeason("all", new AnnualDate(1, 1), new AnnualDate(12, 31), periodRates, days)], []);
    }

    private static Gen<TaxRule> Tax(int i) =>
        from rate in Gen.Long[1, 300_000]
        from inclusive in Gen.Bool
        select new TaxRule($"T{i}", new Percentage(rate), inclusive);

    private static Gen<FixedCharge> Fixed(Currency c, int i) =>
        from amount in Gen.Long[0, 2_000]
        from daily in Gen.Bool
        select new FixedCharge($"F{i}", new Money(amount, c), daily ? FixedChargePeriod.Day : FixedChargePeriod.Month);

    private static Gen<DebtRecoveryRule?> Debt(Currency c) =>
        from present in Gen.Bool
        from percent in Gen.Long[1, 1_000_000]
        from cap in Gen.Long[0, 30_000]
        select present ? new DebtRecoveryRule(new Percentage(percent), cap == 0 ? null : new Money(cap, c)) : null;

    public static readonly Gen<TariffDocument> Tariff =
        from currency in Gen.OneOf("ZAR", "UGX", "KWD").Select(Currency.FromCode)
        from zone in Gen.OneOf("Africa/Johannesburg", "Europe/London", "America/New_York")
        from energy in Gen.OneOf(Flat, Blocks, TimeOfUse)
        from taxCount in Gen.Int[0, 2]
        from tax0 in Tax(0)
        from tax1 in Tax(1)
        from fixedCount in Gen.Int[0, 2]
        from fixed0 in Fixed(currency, 0)
        from fixed1 in Fixed(currency, 1)
        from debt in Debt(currency)
        select new TariffDocument("RND", "Random", 1, new LocalDate(2020, 1, 1), DateTimeZoneProviders.Tzdb[zone], currency, energy,
            new[] { fixed0, fixed1 }.Take(fixedCount).ToList(), new[] { tax0, tax1 }.Take(taxCount).ToList(), debt, null);

    public static Gen<PurchaseContext> Context(Currency c, LocalDate today) =>
        from bought in Gen.Long[0, 800_000]
        from debt in Gen.Long[0, 100_000]
        from recovered in Gen.Long[0, 20_000]
        from daysAgo in Gen.Int[-1, 40]
        from arrears in Gen.Long[0, 5_000]
        from carried in Gen.Long[0, 1_000]
        from resolution in Gen.OneOf(1L, 10L, 100L, 1000L)
        select new PurchaseContext(new Energy(bought), new Money(debt, c), new Money(recovered, c),
            daysAgo < 0 ? null : today.PlusDays(-daysAgo), new Money(arrears, c), new Money(carried, c), resolution);

    /// <summary>An instant in 2026, so daylight-saving changes and month ends are hit.</summary>
    public static readonly Gen<Instant> At =
        Gen.Long[0, 365L * 24 * 3600 - 1].Select(s => Instant.FromUtc(2026, 1, 1, 0, 0).Plus(Duration.FromSeconds(s)));

    public static readonly Gen<long> Amount = Gen.Long[0, 300_000];
}
