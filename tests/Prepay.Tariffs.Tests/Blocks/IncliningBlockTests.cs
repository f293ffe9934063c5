using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Quotes;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Blocks;

public class IncliningBlockTests
{
    private static PurchaseContext Bought(long kwh) =>
        PurchaseContext.Fresh(Currency.ZAR, meterResolutionWh: 1) with { EnergyBoughtThisMonth = Energy.FromKilowattHours(kwh) };

    [Fact]
    public void A_purchase_crossing_a_block_boundary_is_split_at_the_exact_kWh()
    {
        var quote = TariffEngine.Quote(ThreeBlocks(), Zar("50.00"), MidJuly, Bought(40));

        Assert.Equal(Energy.FromKilowattHours(30), quote.Energy);
        Assert.Collection(quote.Lines,
            l => { Assert.Equal(Energy.FromKilowattHours(10), l.Energy); Assert.Equal(Zar("10.00"), l.Cost); },
            l => { Assert.Equal(Energy.FromKilowattHours(20), l.Energy); Assert.Equal(Zar("40.00"), l.Cost); });
    }

    [Fact]
    public void A_large_purchase_fills_every_block_it_passes()
    {
        var quote = TariffEngine.Quote(ThreeBlocks(), Zar("800.00"), MidJuly, Bought(0));

        Assert.Equal([50_000L, 300_000L, 50_000L], quote.Lines.Select(l => l.Energy.WattHours));
        Assert.Equal(["Block 0-50 kWh", "Block 50-350 kWh", "Block above 350 kWh"], quote.Lines.Select(l => l.Label));
        Assert.Equal(Zar("0.00"), quote.CarriedOut);
    }

    [Fact]
    public void Energy_already_bought_beyond_a_block_skips_it()
    {
        var quote = TariffEngine.Quote(ThreeBlocks(), Zar("30.00"), MidJuly, Bought(400));

        Assert.Equal(Energy.FromKilowattHours(10), Assert.Single(quote.Lines).Energy);
    }

    [Fact]
    public void The_block_month_starts_at_midnight_in_the_tariffs_zone_not_in_UTC()
    {
        var tariff = ThreeBlocks();
        var lateOnTheLastDayInUtc = Instant.FromUtc(2026, 1, 31, 22, 30);

        Assert.Equal(new YearMonth(2026, 2), tariff.MonthOf(lateOnTheLastDayInUtc));
        Assert.Equal(new YearMonth(2026, 1), tariff.MonthOf(Instant.FromUtc(2026, 1, 31, 21, 59)));
        Assert.Equal(Instant.FromUtc(2026, 1, 31, 22, 0), tariff.StartOfMonth(lateOnTheLastDayInUtc));
    }

    [Fact]
    public void A_new_month_puts_the_next_purchase_back_in_the_first_block()
    {
        var tariff = ThreeBlocks();
        var first = TariffEngine.Quote(tariff, Zar("800.00"), MidJuly, Bought(0));
        var next = Bought(0).After(first).ForNewMonth();

        var quote = TariffEngine.Quote(tariff, Zar("50.00"), Instant.FromUtc(2026, 8, 1, 8, 0), next);

        Assert.Equal(Energy.FromKilowattHours(50), Assert.Single(quote.Lines).Energy);
    }
}
