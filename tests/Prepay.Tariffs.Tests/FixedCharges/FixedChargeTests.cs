using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.Quotes;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.FixedCharges;

public class FixedChargeTests
{
    private const string Daily = """, "fixedCharges": [ { "name": "Service", "per": "day", "amount": "4.25" } ]""";
    private static readonly LocalDate Today = new(2026, 7, 15);

    private static PurchaseContext PaidThrough(LocalDate? date, string arrears = "0.00") =>
        PurchaseContext.Fresh(Currency.ZAR) with { FixedChargesPaidThrough = date, FixedChargeArrears = Zar(arrears) };

    [Fact]
    public void A_purchase_recovers_arrears_and_every_day_since_the_paid_through_date()
    {
        var quote = TariffEngine.Quote(Flat("2.00", Daily), Zar("100.00"), MidJuly, PaidThrough(Today.PlusDays(-3), "10.00"));

        Assert.Equal(Zar("22.75"), quote.FixedCharges);
        Assert.Equal(Zar("0.00"), quote.FixedChargeArrearsAfter);
        Assert.Equal(Today, quote.FixedChargesPaidThrough);
        Assert.Equal(Energy.FromKilowattHours(38) + new Energy(600), quote.Energy); // 77.25 / 2.00 = 38.625 -> 38.6
    }

    [Fact]
    public void A_purchase_too_small_for_the_charges_pays_what_it_can_and_leaves_the_rest_as_arrears()
    {
        var quote = TariffEngine.Quote(Flat("2.00", Daily), Zar("5.00"), MidJuly, PaidThrough(Today.PlusDays(-3), "10.00"));

        Assert.Equal(Zar("5.00"), quote.FixedCharges);
        Assert.Equal(Zar("17.75"), quote.FixedChargeArrearsAfter);
        Assert.Equal(Today, quote.FixedChargesPaidThrough);
        Assert.Equal(Energy.Zero, quote.Energy);
    }

    [Fact]
    public void A_second_purchase_the_same_day_owes_no_more_fixed_charges()
    {
        var tariff = Flat("2.00", Daily);
        var context = PaidThrough(Today.PlusDays(-1));
        var first = TariffEngine.Quote(tariff, Zar("50.00"), MidJuly, context);
        var second = TariffEngine.Quote(tariff, Zar("50.00"), MidJuly.Plus(Duration.FromHours(3)), context.After(first));

        Assert.Equal(Zar("4.25"), first.FixedCharges);
        Assert.Equal(Zar("0.00"), second.FixedCharges);
    }

    [Fact]
    public void A_new_account_owes_today_for_a_daily_charge_and_this_month_for_a_monthly_one()
    {
        IReadOnlyList<FixedCharge> charges =
        [
            new("Service", Zar("4.25"), FixedChargePeriod.Day),
            new("Capacity", Zar("100.00"), FixedChargePeriod.Month),
        ];

        Assert.Equal(Zar("104.25"), FixedChargeRecovery.Accrued(charges, null, Today, Currency.ZAR));
        Assert.Equal(Zar("0.00"), FixedChargeRecovery.Accrued(charges, Today, Today, Currency.ZAR));
        // Paid through 20 May: June and July are owed, and the 56 days since.
        Assert.Equal(Zar("438.00"), FixedChargeRecovery.Accrued(charges, new LocalDate(2026, 5, 20), Today, Currency.ZAR));
    }

    [Fact]
    public void Fixed_charges_carry_exclusive_tax()
    {
        var tariff = Flat("2.00", """
            , "fixedCharges": [ { "name": "Service", "per": "day", "amount": "10.00" } ],
              "taxes": [ { "name": "VAT", "percent": "15", "inclusive": false } ]
            """);

        var quote = TariffEngine.Quote(tariff, Zar("11.50"), MidJuly, PaidThrough(Today.PlusDays(-1)));

        Assert.Equal(Zar("10.00"), quote.FixedCharges);
        Assert.Equal(Zar("1.50"), Assert.Single(quote.Tax).Amount);
        Assert.Equal(Energy.Zero, quote.Energy);
    }

    [Fact]
    public void Days_are_counted_in_the_tariffs_zone()
    {
        // 23:30 UTC on 14 July is already 15 July in Johannesburg: two days after 13 July.
        var at = Instant.FromUtc(2026, 7, 14, 23, 30);
        var quote = TariffEngine.Quote(Flat("2.00", Daily), Zar("100.00"), at, PaidThrough(new LocalDate(2026, 7, 13)));

        Assert.Equal(Zar("8.50"), quote.FixedCharges);
        Assert.Equal(Today, quote.FixedChargesPaidThrough);
    }
}
