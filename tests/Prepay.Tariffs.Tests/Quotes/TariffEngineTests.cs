using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Quotes;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Quotes;

public class TariffEngineTests
{
    private static readonly PurchaseContext Sts = PurchaseContext.Fresh(Currency.ZAR);

    [Fact]
    public void Energy_is_rounded_down_to_the_meter_resolution_and_the_rest_is_carried()
    {
        var quote = TariffEngine.Quote(Flat("2.85"), Zar("100.00"), MidJuly, Sts);

        Assert.Equal(new Energy(35_000), quote.Energy);          // 35.087 kWh -> 35.0
        Assert.Equal(Zar("99.75"), quote.EnergyCost);
        Assert.Equal(Zar("0.25"), quote.CarriedOut);
        Assert.True(quote.IsBalanced);
    }

    [Fact]
    public void The_carried_remainder_is_spent_with_the_next_purchase()
    {
        var tariff = Flat("2.85");
        var first = TariffEngine.Quote(tariff, Zar("100.00"), MidJuly, Sts);
        var second = TariffEngine.Quote(tariff, Zar("100.00"), MidJuly, Sts.After(first));

        Assert.Equal(Zar("0.25"), second.CarriedIn);
        Assert.Equal(new Energy(35_100), second.Energy);          // 100.25 / 2.85 = 35.17 -> 35.1, costing 100.035 -> 100.04
        Assert.Equal(Zar("100.04"), second.EnergyCost);
        Assert.Equal(Zar("0.21"), second.CarriedOut);
    }

    [Fact]
    public void A_smart_meter_is_credited_to_the_watt_hour()
    {
        var quote = TariffEngine.Quote(Flat("2.85"), Zar("100.00"), MidJuly, Sts with { MeterResolutionWh = 1 });

        Assert.Equal(new Energy(35_087), quote.Energy);           // 35 087 Wh cost 99.99795 -> 100.00
        Assert.Equal(Zar("0.00"), quote.CarriedOut);
    }

    [Fact]
    public void Inclusive_VAT_is_shown_inside_the_price_paid()
    {
        var tariff = Flat("2.85", """, "taxes": [ { "name": "VAT", "percent": "15", "inclusive": true } ]""");
        var quote = TariffEngine.Quote(tariff, Zar("100.00"), MidJuly, Sts);

        Assert.Equal(new Energy(35_000), quote.Energy);
        Assert.Equal(Zar("13.01"), Assert.Single(quote.Tax).Amount); // 99.75 - round(99.75 / 1.15 = 86.739)
        Assert.Equal(Zar("86.74"), quote.EnergyCost);
        Assert.Equal(Zar("99.75"), Assert.Single(quote.Lines).Cost);
        Assert.True(quote.IsBalanced);
    }

    [Fact]
    public void Exclusive_VAT_is_added_to_the_price_so_less_energy_is_bought()
    {
        var tariff = Flat("2.00", """, "taxes": [ { "name": "VAT", "percent": "15", "inclusive": false } ]""");
        var quote = TariffEngine.Quote(tariff, Zar("115.00"), MidJuly, Sts);

        Assert.Equal(Energy.FromKilowattHours(50), quote.Energy);
        Assert.Equal(Zar("100.00"), quote.EnergyCost);
        Assert.Equal(Zar("15.00"), Assert.Single(quote.Tax).Amount);
        Assert.Equal(Zar("0.00"), quote.CarriedOut);
    }

    [Fact]
    public void Net_for_energy_is_what_is_left_after_debt_and_fixed_charges()
    {
        var tariff = Flat("2.00", """
            , "fixedCharges": [ { "name": "Service", "per": "day", "amount": "5.00" } ],
              "debtRecovery": { "percent": "10" }
            """);
        var context = Sts with { DebtOutstanding = Zar("500.00"), FixedChargesPaidThrough = new LocalDate(2026, 7, 14) };

        var quote = TariffEngine.Quote(tariff, Zar("100.00"), MidJuly, context);

        Assert.Equal(Zar("10.00"), quote.DebtRecovered);
        Assert.Equal(Zar("5.00"), quote.FixedCharges);
        Assert.Equal(Zar("85.00"), quote.NetForEnergy);
        Assert.Equal(new Energy(42_500), quote.Energy);
        Assert.Equal(Zar("490.00"), quote.DebtOutstandingAfter);
    }

    [Fact]
    public void A_currency_without_minor_units_is_quoted_in_whole_units()
    {
        var tariff = Parse("""{ "type": "flat", "rate": "250" }""", currency: "UGX");
        var quote = TariffEngine.Quote(tariff, Money.Parse("10000", Currency.FromCode("UGX")), MidJuly, PurchaseContext.Fresh(Currency.FromCode("UGX")));

        Assert.Equal(Energy.FromKilowattHours(40), quote.Energy);
    }

    [Fact]
    public void Quoting_refuses_another_currency_a_tariff_not_yet_in_force_and_a_zero_resolution()
    {
        var tariff = Flat("2.00");
        Assert.Throws<ArgumentException>(() => TariffEngine.Quote(tariff, new Money(100, Currency.USD), MidJuly, Sts));
        Assert.Throws<ArgumentOutOfRangeException>(() => TariffEngine.Quote(tariff, Zar("1.00"), Instant.FromUtc(2019, 12, 31, 12, 0), Sts));
        Assert.Throws<ArgumentOutOfRangeException>(() => TariffEngine.Quote(tariff, Zar("1.00"), MidJuly, Sts with { MeterResolutionWh = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => TariffEngine.Quote(tariff, Zar("-1.00"), MidJuly, Sts));
    }
}
