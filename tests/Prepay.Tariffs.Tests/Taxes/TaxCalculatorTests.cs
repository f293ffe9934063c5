using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Taxes;

public class TaxCalculatorTests
{
    private static readonly TaxRule VatIn = new("VAT", Percentage.FromPercent(15), Inclusive: true);
    private static readonly TaxRule VatOut = new("VAT", Percentage.FromPercent(15), Inclusive: false);

    [Fact]
    public void Inclusive_VAT_is_the_price_less_the_price_divided_by_one_plus_the_rate_rounded_half_even()
    {
        // 100.00 / 1.15 = 86.9565... -> 86.96, so VAT is 13.04.
        Assert.Equal(Zar("13.04"), Assert.Single(TaxCalculator.TaxesOn([VatIn], Zar("100.00"))).Amount);
        // 0.23 / 1.15 = 0.20 exactly.
        Assert.Equal(Zar("0.03"), Assert.Single(TaxCalculator.TaxesOn([VatIn], Zar("0.23"))).Amount);
        Assert.Equal(Zar("100.00"), TaxCalculator.WithExclusiveTaxes([VatIn], Zar("100.00")));
    }

    [Fact]
    public void Exclusive_tax_is_added_on_top_and_rounded_up()
    {
        Assert.Equal(Zar("15.00"), Assert.Single(TaxCalculator.TaxesOn([VatOut], Zar("100.00"))).Amount);
        // 0.15 x 0.01 = 0.0015 -> 0.01
        Assert.Equal(Zar("0.02"), TaxCalculator.WithExclusiveTaxes([VatOut], Zar("0.01")));
    }

    [Fact]
    public void Two_inclusive_taxes_add_up_to_the_total_extracted()
    {
        var levy = new TaxRule("Levy", new Percentage(25_000), Inclusive: true); // 2.5 %
        var lines = TaxCalculator.TaxesOn([VatIn, levy], Zar("117.50"));

        Assert.Equal(Zar("15.00"), lines[0].Amount);  // net 100.00
        Assert.Equal(Zar("2.50"), lines[1].Amount);
    }

    [Fact]
    public void The_largest_price_within_a_budget_leaves_room_for_exclusive_taxes()
    {
        Assert.Equal(Zar("100.00"), TaxCalculator.LargestPriceWithin([VatOut], Zar("115.00")));
        Assert.Equal(Zar("100.00"), TaxCalculator.LargestPriceWithin([VatOut], Zar("115.01")));
        Assert.Equal(Zar("99.99"), TaxCalculator.LargestPriceWithin([VatOut], Zar("114.99")));
        Assert.Equal(Zar("0.00"), TaxCalculator.LargestPriceWithin([VatOut], Zar("0.01")));
    }
}
