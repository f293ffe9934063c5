using Prepay.Domain.Energy;
using Prepay.Tariffs.FreeBasic;
using Prepay.Tariffs.Samples;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.FreeBasic;

public class FreeBasicTests
{
    private static readonly Prepay.Tariffs.Documents.TariffDocument WithFbe = TariffSamples.Load(TariffSamples.ResidentialBlocks);

    [Fact]
    public void A_registered_customer_gets_the_whole_allowance_once_a_month()
    {
        Assert.Equal(new FreeBasicDue(true, Energy.FromKilowattHours(50)), FreeBasicElectricity.Due(WithFbe, true, Energy.Zero, 100));
        Assert.Equal(FreeBasicDue.None, FreeBasicElectricity.Due(WithFbe, true, Energy.FromKilowattHours(50), 100));
    }

    [Fact]
    public void Only_the_rest_of_a_partly_issued_allowance_is_due_rounded_down_to_the_meter()
    {
        Assert.Equal(new FreeBasicDue(true, new Energy(29_900)), FreeBasicElectricity.Due(WithFbe, true, new Energy(20_050), 100));
    }

    [Fact]
    public void An_unregistered_customer_or_a_tariff_without_FBE_gets_nothing()
    {
        Assert.False(FreeBasicElectricity.Due(WithFbe, false, Energy.Zero, 100).IsDue);
        Assert.False(FreeBasicElectricity.Due(Flat("2.00"), true, Energy.Zero, 100).IsDue);
    }
}
