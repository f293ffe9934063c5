using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Server.Web.Portal;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Tariffs.Samples;
using Prepay.Vending.Pricing;

namespace Prepay.Web.Tests;

/// <summary>
/// What the portal's charts and tariff text are made of, checked against hand-counted numbers: a smart meter's
/// readings summed per day, hour and time-of-use period in the tariff's zone, and the sample tariffs in words.
/// </summary>
public sealed class UsageAndTariffTests(WebFixture web) : IClassFixture<WebFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_smart_meters_readings_are_summed_per_day_hour_and_time_of_use_period_exactly()
    {
        // TECHPARK U-101 is on COM-TOU (Africa/Johannesburg, UTC+2). The fixture's clock: Monday 23 November 2026,
        // 10:00 local, the low season. 100 Wh every quarter of an hour from Sunday 22:00 local: Sunday is off-peak all
        // day; Monday is off-peak to 06:00, peak 06:00-08:00, standard from 08:00.
        await using var scope = web.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meterId = await db.Meters.Where(m => m.MeterNumber == "10000000021").Select(m => m.Id).SingleAsync(Ct);
        var now = web.Clock.GetCurrentInstant();
        var first = Instant.FromUtc(2026, 11, 22, 20, 15);
        for (var at = first; at <= now; at += Duration.FromMinutes(15))
        {
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = 100, EnergyWh = 0, CreditWh = 50_000 });
        }
        await db.SaveChangesAsync(Ct);

        var tariff = await web.Services.GetRequiredService<TariffCatalog>().ForMeterAsync(db, meterId, now, Ct);
        var usage = await UsageSeries.ForMeterAsync(db, meterId, null, tariff, now, Ct);

        Assert.Equal("Africa/Johannesburg", usage.Zone);
        Assert.Equal(("Sun 22 Nov", 800L), (usage.Daily[^2].Label, usage.Daily[^2].Wh));
        Assert.Equal(("Mon 23 Nov", 4000L), (usage.Daily[^1].Label, usage.Daily[^1].Wh));
        Assert.Equal(4800, usage.Daily.Sum(d => d.Wh));
        Assert.Equal(4800, usage.Hourly.Sum(h => h.Wh));
        Assert.Equal(("09:00", 400L), (usage.Hourly[^2].Label, usage.Hourly[^2].Wh));
        Assert.Equal(("10:00", 0L), (usage.Hourly[^1].Label, usage.Hourly[^1].Wh));
        Assert.Equal([("Peak", 800L), ("Standard", 800L), ("Off-peak", 3200L)], usage.TimeOfUse!.Select(p => (p.Label, p.Wh)));
        Assert.Equal("3.200", usage.TimeOfUse![2].Kwh);
    }

    [Fact]
    public void The_sample_tariffs_are_explained_with_their_own_numbers()
    {
        var now = web.Clock.GetCurrentInstant();
        var tou = TariffExplainer.Explain(TariffSamples.Load(TariffSamples.CommercialTimeOfUse), now);
        Assert.Contains("right now it is standard time, at ZAR 1.3912 per kWh", tou.Energy[0], StringComparison.Ordinal);
        Assert.Contains("Weekdays: off-peak 00:00–06:00, peak 06:00–08:00, standard 08:00–17:00, peak 17:00–19:00, standard 19:00–22:00, off-peak 22:00–24:00.", tou.Energy);
        Assert.Contains("Peak: ZAR 2.0145 per kWh.", tou.Energy);

        var blocks = TariffExplainer.Explain(TariffSamples.Load(TariffSamples.ResidentialBlocks), now);
        Assert.Contains("The first 50 kWh of the month: ZAR 1.9021 per kWh.", blocks.Energy);
        Assert.Contains("From 50 to 350 kWh: ZAR 2.4517 per kWh.", blocks.Energy);
        Assert.Contains("Prices include VAT at 15 %.", blocks.Charges);
        Assert.Contains(blocks.Charges, c => c.StartsWith("Households registered as indigent get 50 kWh free", StringComparison.Ordinal));
    }
}
