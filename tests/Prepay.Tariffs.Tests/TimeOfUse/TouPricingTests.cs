using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.TimeOfUse;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.TimeOfUse;

public class TouPricingTests
{
    private static Dictionary<string, double> HoursPerPeriod(TariffDocument tariff, LocalDate day)
    {
        var zone = tariff.TimeZone;
        var from = zone.AtStartOfDay(day).ToInstant();
        var to = zone.AtStartOfDay(day.PlusDays(1)).ToInstant();
        return TouPricing.Split(tariff, from, to, Energy.Zero)
            .GroupBy(s => s.Period)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Duration.TotalHours));
    }

    [Theory]
    [InlineData("Europe/London", 2026, 3, 29, 8, 15)]   // clocks go forward 01:00 -> 02:00: 23-hour day
    [InlineData("Europe/London", 2026, 10, 25, 10, 15)] // clocks go back 02:00 -> 01:00: 25-hour day
    [InlineData("America/New_York", 2026, 3, 8, 8, 15)]
    [InlineData("America/New_York", 2026, 11, 1, 10, 15)]
    [InlineData("Europe/London", 2026, 7, 1, 9, 15)]    // an ordinary day
    public void A_DST_change_day_prices_the_hours_that_exist_in_each_period(string zone, int y, int m, int d, int night, int day)
    {
        var hours = HoursPerPeriod(DayNight(zone), new LocalDate(y, m, d));

        Assert.Equal(night, hours["night"]);
        Assert.Equal(day, hours["day"]);
    }

    [Fact]
    public void A_switch_time_skipped_by_spring_forward_takes_effect_when_the_clocks_jump()
    {
        var tariff = Parse("""
            { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
              "rates": { "a": "1.00", "b": "2.00" },
              "weekday":  [ { "from": "00:00", "period": "a" }, { "from": "01:30", "period": "b" } ],
              "saturday": [ { "from": "00:00", "period": "a" }, { "from": "01:30", "period": "b" } ],
              "sunday":   [ { "from": "00:00", "period": "a" }, { "from": "01:30", "period": "b" } ] } ] }
            """, zone: "Europe/London");

        var hours = HoursPerPeriod(tariff, new LocalDate(2026, 3, 29));

        Assert.Equal(1, hours["a"]);
        Assert.Equal(22, hours["b"]);
    }

    [Fact]
    public void Consumption_across_a_period_boundary_is_shared_by_duration_and_priced_per_period()
    {
        var tariff = DayNight("Africa/Johannesburg");
        var from = Instant.FromUtc(2026, 7, 15, 4, 0);   // 06:00 local, night
        var to = Instant.FromUtc(2026, 7, 15, 6, 0);     // 08:00 local, day

        var slices = TouPricing.Split(tariff, from, to, new Energy(1000));
        var price = TouPricing.PriceConsumption(tariff, from, to, new Energy(1000));

        Assert.Equal([500L, 500L], slices.Select(s => s.Energy.WattHours));
        Assert.Equal(Zar("2.00"), price); // 0.5 kWh at 1.00 + 0.5 kWh at 3.00
    }

    [Fact]
    public void Shares_of_an_interval_add_up_to_exactly_the_energy_measured()
    {
        var tariff = DayNight("Europe/London");
        var from = Instant.FromUtc(2026, 3, 28, 21, 13);
        var to = Instant.FromUtc(2026, 3, 29, 7, 59);

        var slices = TouPricing.Split(tariff, from, to, new Energy(1001));

        Assert.Equal(1001, slices.Sum(s => s.Energy.WattHours));
        Assert.Equal(to - from, slices.Aggregate(Duration.Zero, (sum, s) => sum + s.Duration));
    }

    [Fact]
    public void A_listed_public_holiday_uses_the_holiday_schedule()
    {
        var tariff = Parse("""
            { "type": "timeOfUse", "publicHolidays": [ "2026-12-16" ],
              "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
              "rates": { "peak": "5.00", "offPeak": "1.00" },
              "weekday":  [ { "from": "00:00", "period": "offPeak" }, { "from": "07:00", "period": "peak" } ],
              "saturday": [ { "from": "00:00", "period": "offPeak" } ],
              "sunday":   [ { "from": "00:00", "period": "offPeak" } ] } ] }
            """);
        var wednesdayNoon = Instant.FromUtc(2026, 12, 16, 10, 0);

        Assert.Equal("offPeak", TouPricing.RateAt(tariff, wednesdayNoon).Period);
        Assert.Equal("peak", TouPricing.RateAt(tariff, wednesdayNoon.Plus(Duration.FromDays(1))).Period);
    }

    [Fact]
    public void A_season_can_wrap_over_the_new_year()
    {
        var tariff = TariffSamplesForTests.TwoSeasons("10-01", "03-31", "04-01", "09-30");

        Assert.Equal("summer", TouPricing.RateAt(tariff, Instant.FromUtc(2026, 1, 15, 12, 0)).Season);
        Assert.Equal("winter", TouPricing.RateAt(tariff, Instant.FromUtc(2026, 6, 15, 12, 0)).Season);
        Assert.Equal("summer", TouPricing.RateAt(tariff, Instant.FromUtc(2026, 10, 1, 12, 0)).Season);
    }

    [Fact]
    public void A_time_of_use_purchase_is_an_estimate_at_the_rate_in_force_when_bought()
    {
        var tariff = DayNight("Africa/Johannesburg");
        var context = PurchaseContext.Fresh(Currency.ZAR, meterResolutionWh: 1);

        var atNight = TariffEngine.Quote(tariff, Zar("30.00"), Instant.FromUtc(2026, 7, 15, 1, 0), context);
        var byDay = TariffEngine.Quote(tariff, Zar("30.00"), Instant.FromUtc(2026, 7, 15, 10, 0), context);

        Assert.True(atNight.IsEstimate);
        Assert.Equal(Energy.FromKilowattHours(30), atNight.Energy);
        Assert.Equal(Energy.FromKilowattHours(10), byDay.Energy);
        Assert.Contains("day", Assert.Single(byDay.Lines).Label, StringComparison.Ordinal);
    }
}

internal static class TariffSamplesForTests
{
    public static TariffDocument TwoSeasons(string summerFrom, string summerTo, string winterFrom, string winterTo) =>
        Parse($$"""
            { "type": "timeOfUse", "seasons": [
              { "name": "summer", "from": "{{summerFrom}}", "to": "{{summerTo}}", "rates": { "all": "1.00" },
                "weekday": [ { "from": "00:00", "period": "all" } ], "saturday": [ { "from": "00:00", "period": "all" } ],
                "sunday": [ { "from": "00:00", "period": "all" } ] },
              { "name": "winter", "from": "{{winterFrom}}", "to": "{{winterTo}}", "rates": { "all": "2.00" },
                "weekday": [ { "from": "00:00", "period": "all" } ], "saturday": [ { "from": "00:00", "period": "all" } ],
                "sunday": [ { "from": "00:00", "period": "all" } ] } ] }
            """);
}
