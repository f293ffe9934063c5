using NodaTime;
using Prepay.Meter.Load;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Load;

public sealed class LoadProfileTests
{
    // Monday 2 March 2026, local midnight.
    private static readonly Instant March = new LocalDateTime(2026, 3, 2, 0, 0).InZoneStrictly(Zone).ToInstant();

    private static long DayWh(LoadProfile profile, Instant day) =>
        Enumerable.Range(0, 1440).Sum(m => (long)profile.WattsAt(day + Duration.FromMinutes(m))) / 60;

    private static long[] Days(LoadShape shape, Instant from, int days, long seed = 1) =>
        [.. Enumerable.Range(0, days).Select(d => DayWh(new LoadProfile(shape, seed, Zone), from + Duration.FromDays(d)))];

    [Theory]
    [InlineData(LoadShape.Residential, 5_000, 20_000)]
    [InlineData(LoadShape.Shop, 3_000, 40_000)]
    [InlineData(LoadShape.Dormitory, 20_000, 60_000)]
    [InlineData(LoadShape.Industrial, 50_000, 700_000)]
    public void Daily_energy_is_plausible_for_the_shape(LoadShape shape, long minWh, long maxWh)
    {
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            Assert.All(Days(shape, March, 14, seed), wh => Assert.InRange(wh, minWh, maxWh));
        }
    }

    [Fact]
    public void Industrial_load_drops_on_weekends()
    {
        var week = Days(LoadShape.Industrial, March, 7); // Monday..Sunday
        Assert.True(week[..5].Min() > 3 * week[5..].Max(), string.Join(", ", week));
    }

    [Fact]
    public void Shop_uses_far_less_on_sunday_than_on_weekdays()
    {
        var week = Days(LoadShape.Shop, March, 7);
        Assert.True(week[..6].Min() > 2 * week[6], string.Join(", ", week));
    }

    [Fact]
    public void Residential_evening_peak_exceeds_the_small_hours()
    {
        var profile = new LoadProfile(LoadShape.Residential, 5, Zone);
        double Hour(int h) => Enumerable.Range(0, 28).Average(d => Enumerable.Range(0, 60).Average(m => profile.WattsAt(March + Duration.FromDays(d) + Duration.FromHours(h) + Duration.FromMinutes(m))));
        Assert.True(Hour(19) > 4 * Hour(3));
        Assert.True(Hour(7) > 2 * Hour(3));
    }

    [Fact]
    public void Dormitory_uses_more_at_night_than_at_midday()
    {
        var profile = new LoadProfile(LoadShape.Dormitory, 5, Zone);
        long Sum(int fromHour) => Enumerable.Range(0, 240).Sum(m => (long)profile.WattsAt(March + Duration.FromHours(fromHour) + Duration.FromMinutes(m)));
        Assert.True(Sum(20) > 3 * Sum(10));
    }

    [Fact]
    public void Southern_winter_adds_a_heating_bump()
    {
        var july = new LocalDateTime(2026, 7, 13, 0, 0).InZoneStrictly(Zone).ToInstant();
        var january = new LocalDateTime(2026, 1, 12, 0, 0).InZoneStrictly(Zone).ToInstant();
        Assert.True(Days(LoadShape.Residential, july, 28).Sum() > 1.2 * Days(LoadShape.Residential, january, 28).Sum());
    }

    [Fact]
    public void Same_seed_gives_the_same_load_and_another_seed_a_different_one()
    {
        var a = Days(LoadShape.Residential, March, 3, seed: 9);
        Assert.Equal(a, Days(LoadShape.Residential, March, 3, seed: 9));
        Assert.NotEqual(a, Days(LoadShape.Residential, March, 3, seed: 10));
    }

    [Fact]
    public void Voltage_stays_near_nominal_without_faults()
    {
        var profile = new LoadProfile(LoadShape.Residential, 3, Zone);
        Assert.All(Enumerable.Range(0, 1440), m => Assert.InRange(profile.DeciVoltsAt(March + Duration.FromMinutes(m)), 2270, 2330));
    }
}
