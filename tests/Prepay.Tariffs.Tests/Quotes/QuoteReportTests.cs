using System.Text.Json;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Samples;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.Quotes;

public class QuoteReportTests
{
    // The sample block tariff, R100 with 40 kWh already bought this month, a new account (owes today's service charge).
    private static readonly PurchaseQuote Sample = TariffEngine.Quote(
        TariffSamples.Load(TariffSamples.ResidentialBlocks), Zar("100.00"), MidJuly,
        PurchaseContext.Fresh(Currency.ZAR) with { EnergyBoughtThisMonth = Energy.FromKilowattHours(40) });

    [Fact]
    public void The_sample_block_tariff_splits_a_purchase_as_worked_out_by_hand()
    {
        // 4.25 service charge; 95.75 left: 10 kWh at 1.9021 = 19.021 -> 19.03, then 76.72 / 2.4517 = 31.29 -> 31.2 kWh = 76.49 -> 76.50.
        Assert.Equal(Zar("3.70"), Sample.FixedCharges);                 // 4.25 less inclusive VAT 0.55
        Assert.Equal(new Energy(41_200), Sample.Energy);
        Assert.Equal([Zar("19.03"), Zar("76.50")], Sample.Lines.Select(l => l.Cost));
        Assert.Equal(Zar("0.22"), Sample.CarriedOut);
        Assert.Equal(Zar("13.01"), Assert.Single(Sample.Tax).Amount);  // 0.55 on the charge + 12.46 on 95.53 of energy
        Assert.True(Sample.IsBalanced);
    }

    [Fact]
    public void The_table_shows_every_part_of_the_breakdown()
    {
        var table = QuoteReport.Table(Sample);

        Assert.Contains("Block 0-50 kWh: 10.000 kWh @ 1.9021", table, StringComparison.Ordinal);
        Assert.Contains("VAT 15 % (inclusive)", table, StringComparison.Ordinal);
        Assert.Contains("ZAR 0.22", table, StringComparison.Ordinal);
        Assert.Contains("41.200 kWh", table, StringComparison.Ordinal);
        Assert.Contains("2026-07-15", table, StringComparison.Ordinal);
    }

    [Fact]
    public void The_JSON_carries_amounts_as_exact_decimal_strings()
    {
        using var json = JsonDocument.Parse(QuoteReport.Json(Sample));
        var root = json.RootElement;

        Assert.Equal("100.00", root.GetProperty("gross").GetString());
        Assert.Equal("0.22", root.GetProperty("carriedOut").GetString());
        Assert.Equal(41_200, root.GetProperty("energyWh").GetInt64());
        Assert.Equal("2.4517", root.GetProperty("lines")[1].GetProperty("rate").GetString());
        Assert.Equal("13.01", root.GetProperty("tax")[0].GetProperty("amount").GetString());
        Assert.False(root.GetProperty("isEstimate").GetBoolean());
        Assert.Equal(Instant.FromUtc(2026, 7, 15, 10, 0).ToString(), root.GetProperty("at").GetString());
    }
}
