using Xunit;

namespace Prepay.Domain.Tests.Energy;

using Energy = Prepay.Domain.Energy.Energy;

public class EnergyTests
{
    [Fact]
    public void Energy_prints_as_kWh_with_three_decimals()
    {
        Assert.Equal("12.345 kWh", new Energy(12_345).ToString());
        Assert.Equal("-0.005", new Energy(-5).ToKilowattHoursString());
        Assert.Equal(new Energy(50_000), Energy.FromKilowattHours(50));
    }

    [Fact]
    public void Energy_adds_compares_and_throws_on_overflow()
    {
        var a = new Energy(100);
        var b = new Energy(250);

        Assert.Equal(new Energy(350), a + b);
        Assert.Equal(new Energy(-150), a - b);
        Assert.True(a < b && b > a && a <= b && b >= a);
        Assert.Equal(a, Energy.Min(a, b));
        Assert.Throws<OverflowException>(() => new Energy(long.MaxValue) + new Energy(1));
        Assert.Throws<OverflowException>(() => Energy.FromKilowattHours(long.MaxValue / 100));
    }
}
