using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;
using Xunit;

namespace Prepay.Tariffs.Tests.Rates;

public class EnergyRateTests
{
    [Fact]
    public void A_rate_in_rand_per_kWh_is_stored_as_cents_per_kWh_times_ten_thousand()
    {
        Assert.Equal(2_512_300, EnergyRate.ParseMajor("2.5123", Currency.ZAR).ScaledMinorPerKwh);
        Assert.Equal(25_123, EnergyRate.ParseMajor("0.025123", Currency.ZAR).ScaledMinorPerKwh);
    }

    [Fact]
    public void A_rate_with_more_than_four_decimals_of_a_minor_unit_is_refused()
    {
        Assert.False(EnergyRate.TryParseMajor("2.0000001", Currency.ZAR, out _, out var error));
        Assert.Contains("6 decimal places", error, StringComparison.Ordinal);
        Assert.False(EnergyRate.TryParseMajor("1e3", Currency.ZAR, out _, out _));
        Assert.False(EnergyRate.TryParseMajor("-1", Currency.ZAR, out _, out _));
    }

    [Fact]
    public void A_rate_prints_back_to_the_text_it_was_read_from()
    {
        foreach (var text in new[] { "2.5123", "2.50", "0.000001", "120.00" })
        {
            Assert.Equal(text, EnergyRate.ParseMajor(text, Currency.ZAR).ToMajorString(Currency.ZAR));
        }
        Assert.Equal("250", EnergyRate.ParseMajor("250", Currency.FromCode("UGX")).ToMajorString(Currency.FromCode("UGX")));
    }

    [Fact]
    public void The_cost_of_energy_is_rounded_up_to_a_whole_cent()
    {
        var rate = EnergyRate.ParseMajor("2.85", Currency.ZAR);
        Assert.Equal(9975, rate.CostRoundedUp(Energy.FromKilowattHours(35), Currency.ZAR).Minor);
        // 1 Wh at 285 c/kWh is 0.285 c, charged as 1 c.
        Assert.Equal(1, rate.CostRoundedUp(new Energy(1), Currency.ZAR).Minor);
        Assert.Equal(0, rate.CostRoundedUp(Energy.Zero, Currency.ZAR).Minor);
    }
}
