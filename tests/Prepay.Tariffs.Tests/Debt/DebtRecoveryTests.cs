using Prepay.Domain.Money;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Rates;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Debt;

public class DebtRecoveryTests
{
    private static readonly DebtRecoveryRule TwentyPercentCapped = new(Percentage.FromPercent(20), Zar("300.00"));

    [Fact]
    public void A_share_of_each_purchase_goes_to_debt()
    {
        Assert.Equal(Zar("20.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("1000.00"), Zar("0.00")));
    }

    [Fact]
    public void Recovery_stops_at_the_monthly_cap()
    {
        Assert.Equal(Zar("10.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("1000.00"), Zar("290.00")));
        Assert.Equal(Zar("0.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("1000.00"), Zar("300.00")));
    }

    [Fact]
    public void A_top_up_cap_limits_the_share_rounded_down()
    {
        var greedy = new DebtRecoveryRule(Percentage.FromPercent(95), null);
        Assert.Equal(Zar("95.01"), DebtRecovery.Recover(greedy, Zar("100.01"), Zar("1000.00"), Zar("0.00")));
        Assert.Equal(Zar("90.00"), DebtRecovery.Recover(greedy, Zar("100.01"), Zar("1000.00"), Zar("0.00"), Percentage.FromPercent(90)));
        // Below the cap, the tariff's share stands.
        Assert.Equal(Zar("20.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("1000.00"), Zar("0.00"), Percentage.FromPercent(90)));
    }

    [Fact]
    public void Recovery_stops_when_the_debt_is_paid()
    {
        Assert.Equal(Zar("5.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("5.00"), Zar("0.00")));
        Assert.Equal(Zar("0.00"), DebtRecovery.Recover(TwentyPercentCapped, Zar("100.00"), Zar("0.00"), Zar("0.00")));
    }

    [Fact]
    public void The_share_is_rounded_up_to_a_cent()
    {
        Assert.Equal(Zar("0.01"), DebtRecovery.Recover(TwentyPercentCapped, Zar("0.01"), Zar("1000.00"), Zar("0.00")));
        Assert.Equal(Zar("0.00"), DebtRecovery.Recover(null, Zar("100.00"), Zar("1000.00"), Zar("0.00")));
    }

    [Fact]
    public void A_quote_takes_debt_before_energy_and_the_month_total_never_passes_the_cap()
    {
        var tariff = Flat("2.00", """, "debtRecovery": { "percent": "20", "monthlyCap": "50.00" }""");
        var context = PurchaseContext.Fresh(Currency.ZAR) with { DebtOutstanding = Zar("1000.00") };
        var recovered = Zar("0.00");
        for (var i = 0; i < 5; i++)
        {
            var quote = TariffEngine.Quote(tariff, Zar("100.00"), MidJuly, context);
            recovered += quote.DebtRecovered;
            context = context.After(quote);
        }

        Assert.Equal(Zar("50.00"), recovered);
        Assert.Equal(Zar("950.00"), context.DebtOutstanding);
        Assert.Equal(Zar("50.00"), context.DebtRecoveredThisMonth);
    }
}
