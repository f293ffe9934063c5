using CsCheck;
using NodaTime;
using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;

namespace Prepay.CentralCredit.Tests.Pricing;

public sealed class IntervalPricingTests
{
    private static readonly Guid Meter = Guid.NewGuid();
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    // 2026-07-15 is a Wednesday; Johannesburg is UTC+2 all year.
    private static Instant Local(int day, int hour, int minute = 0) =>
        new LocalDateTime(2026, 7, day, hour, minute).InZoneStrictly(Johannesburg).ToInstant();

    private static IntervalToPrice Interval(Instant start, long wh, int minutes = 15, string quality = "valid") =>
        new(Meter, start, start + Duration.FromMinutes(minutes), new Energy(wh), quality);

    private static Money Zar(long minor) => new(minor, Currency.ZAR);

    [Fact]
    public void A_day_interval_costs_its_energy_at_the_day_rate_rounded_up_plus_vat_rounded_up()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """, "taxes": [ { "name": "VAT", "percent": "15", "inclusive": false } ]""");
        // 333 Wh at 3.00/kWh = 99.9 cents → 100; VAT 15 % of 100 = 15 → 115.
        var charges = IntervalPricing.Price(tariff, Interval(Local(15, 10), 333), PricingPosition.Fresh(Currency.ZAR));
        Assert.Equal(Zar(100), charges.Energy);
        Assert.Equal(Zar(15), charges.ExclusiveTaxes);
        Assert.Equal(Zar(115), charges.Total);
        Assert.Equal(Zar(100), charges.EnergyRevenue);
        Assert.Equal("all day", Assert.Single(charges.EnergyLines).Label);
    }

    [Fact]
    public void An_interval_across_a_period_boundary_is_shared_by_duration_and_each_line_rounded_up()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight);
        // 06:50–07:20: 10 min night, 20 min day of 30 min. 301 Wh → floor(301·10/30) = 100 night, 201 day.
        // Night 100 Wh × 1.00 = 10 cents; day 201 Wh × 3.00 = 60.3 → 61 cents. Total 71.
        var charges = IntervalPricing.Price(tariff, Interval(Local(15, 6, 50), 301, minutes: 30), PricingPosition.Fresh(Currency.ZAR));
        Assert.Equal([new Energy(100), new Energy(201)], charges.EnergyLines.Select(l => l.Energy));
        Assert.Equal(Zar(71), charges.Total);
    }

    [Fact]
    public void A_daily_fixed_charge_is_taken_once_for_each_local_day_first_touched()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """, "fixedCharges": [ { "name": "Service", "per": "day", "amount": "4.25" } ]""");
        var first = IntervalPricing.Price(tariff, Interval(Local(15, 10), 0), PricingPosition.Fresh(Currency.ZAR));
        Assert.Equal(Zar(425), first.FixedCharges);
        Assert.Equal([new LocalDate(2026, 7, 15)], first.DaysCharged);

        var charged = new HashSet<LocalDate> { new(2026, 7, 15) };
        var again = IntervalPricing.Price(tariff, Interval(Local(15, 11), 0), PricingPosition.Fresh(Currency.ZAR) with { DaysCharged = charged });
        Assert.Equal(Zar(0), again.FixedCharges);

        // 23:50 to 00:20 touches the 15th (charged) and the 16th (not yet).
        var acrossMidnight = IntervalPricing.Price(tariff, Interval(Local(15, 23, 50), 0, minutes: 30), PricingPosition.Fresh(Currency.ZAR) with { DaysCharged = charged });
        Assert.Equal([new LocalDate(2026, 7, 16)], acrossMidnight.DaysCharged);
        Assert.Equal(Zar(425), acrossMidnight.FixedCharges);
    }

    [Fact]
    public void A_monthly_fixed_charge_is_taken_on_the_first_day_of_the_month_charged()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """, "fixedCharges": [ { "name": "Capacity", "per": "month", "amount": "450.00" } ]""");
        Assert.Equal(Zar(45000), IntervalPricing.Price(tariff, Interval(Local(20, 10), 0), PricingPosition.Fresh(Currency.ZAR)).FixedCharges);
        var charged = new HashSet<LocalDate> { new(2026, 7, 20) };
        Assert.Equal(Zar(0), IntervalPricing.Price(tariff, Interval(Local(3, 10), 0), PricingPosition.Fresh(Currency.ZAR) with { DaysCharged = charged }).FixedCharges);
    }

    [Fact]
    public void Monthly_blocks_count_the_energy_already_priced_this_month()
    {
        var tariff = Tariffs.Parse(Tariffs.TwoBlocks);
        // 49 800 Wh already priced: 200 Wh left in the first block at 1.00, 300 Wh above at 2.00 → 20 + 60 = 80 cents.
        var position = PricingPosition.Fresh(Currency.ZAR) with { EnergyPricedThisMonth = new Energy(49_800) };
        var charges = IntervalPricing.Price(tariff, Interval(Local(15, 10), 500), position);
        Assert.Equal([new Energy(200), new Energy(300)], charges.EnergyLines.Select(l => l.Energy));
        Assert.Equal(Zar(80), charges.Total);
    }

    [Fact]
    public void Inclusive_vat_is_extracted_and_the_parts_add_up_to_the_total()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """, "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true } ]""");
        // 1 000 Wh at 3.00 = 300 cents, VAT inside: 300 − round(300 / 1.15 = 260.87) = 300 − 261 = 39.
        var charges = IntervalPricing.Price(tariff, Interval(Local(15, 10), 1000), PricingPosition.Fresh(Currency.ZAR));
        Assert.Equal(Zar(300), charges.Total);
        Assert.Equal(Zar(39), Assert.Single(charges.Taxes).Amount);
        Assert.Equal(Zar(261), charges.EnergyRevenue);
    }

    [Fact]
    public void Debt_recovery_takes_the_tariffs_share_of_the_interval_cost_within_the_cap()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """, "debtRecovery": { "percent": "20", "monthlyCap": "1.00" }""");
        var position = PricingPosition.Fresh(Currency.ZAR) with { DebtOutstanding = Zar(10_000), DebtRecoveredThisMonth = Zar(90) };
        // 1 000 Wh day = 300 cents; 20 % = 60, but only 100 − 90 = 10 left under the cap.
        var charges = IntervalPricing.Price(tariff, Interval(Local(15, 10), 1000), position);
        Assert.Equal(Zar(10), charges.DebtRecovered);
        Assert.Equal(Zar(310), charges.Total);
    }

    [Fact]
    public void Suspect_readings_and_intervals_before_the_tariff_are_refused()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, effectiveFrom: "2026-08-01");
        Assert.Throws<ArgumentOutOfRangeException>(() => IntervalPricing.Price(tariff, Interval(Local(15, 10), 1), PricingPosition.Fresh(Currency.ZAR)));
        var inForce = Tariffs.Parse(Tariffs.DayNight);
        Assert.Throws<ArgumentException>(() => IntervalPricing.Price(inForce, Interval(Local(15, 10), 1, quality: "suspect"), PricingPosition.Fresh(Currency.ZAR)));
    }

    [Fact]
    public void Revenue_taxes_and_debt_always_add_up_to_the_total()
    {
        var tariff = Tariffs.Parse(Tariffs.DayNight, """
            , "fixedCharges": [ { "name": "Service", "per": "day", "amount": "4.25" } ],
              "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true }, { "name": "Levy", "percent": "2.5", "inclusive": false } ],
              "debtRecovery": { "percent": "20", "monthlyCap": "300.00" }
            """);
        Gen.Select(Gen.Int[0, 60 * 24 * 30], Gen.Long[0, 100_000], Gen.Long[0, 50_000]).Sample((minute, wh, debt) =>
        {
            var start = Local(1, 0) + Duration.FromMinutes(minute);
            var c = IntervalPricing.Price(tariff, Interval(start, wh), PricingPosition.Fresh(Currency.ZAR) with { DebtOutstanding = Zar(debt) });
            var parts = c.EnergyRevenue + c.FixedChargeRevenue + c.Taxes.Aggregate(Zar(0), (s, t) => s + t.Amount) + c.DebtRecovered;
            return parts == c.Total && c.EnergyLines.Sum(l => l.Energy.WattHours) == wh;
        });
    }
}
