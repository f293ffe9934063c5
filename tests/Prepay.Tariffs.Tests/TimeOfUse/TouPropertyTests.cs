using CsCheck;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.TimeOfUse;
using Xunit;
using static Prepay.Tariffs.Tests.TestTariffs;

namespace Prepay.Tariffs.Tests.TimeOfUse;

public class TouPropertyTests
{
    private static readonly string[] Zones = ["Europe/London", "America/New_York", "Africa/Johannesburg", "Australia/Lord_Howe"];

    private static readonly Gen<(string Zone, Instant From, Duration Length, long Wh)> Interval =
        from zone in Gen.OneOf(Zones)
        from start in Gen.Long[0, 365L * 24 * 3600]
        from minutes in Gen.Long[1, 3 * 24 * 60]
        from wh in Gen.Long[0, 1_000_000]
        select (zone, Instant.FromUtc(2026, 1, 1, 0, 0).Plus(Duration.FromSeconds(start)), Duration.FromMinutes(minutes), wh);

    [Fact]
    public void Slices_cover_the_interval_without_gaps_and_share_out_exactly_the_energy_measured()
    {
        Interval.Sample((zone, from, length, wh) =>
        {
            var slices = TouPricing.Split(DayNight(zone), from, from + length, new Energy(wh));

            Assert.Equal(from, slices[0].Start);
            Assert.Equal(from + length, slices[^1].End);
            Assert.All(slices.Zip(slices.Skip(1)), p => Assert.Equal(p.First.End, p.Second.Start));
            Assert.Equal(wh, slices.Sum(s => s.Energy.WattHours));
            Assert.All(slices, s => Assert.Equal(s.Period, TouPricing.RateAt(DayNight(zone), s.Start).Period));
        }, iter: 500);
    }

    [Fact]
    public void Consumption_costs_between_the_cheapest_and_dearest_rate_rounded_up()
    {
        Interval.Sample((zone, from, length, wh) =>
        {
            var price = TouPricing.PriceConsumption(DayNight(zone), from, from + length, new Energy(wh));

            // night 1.00, day 3.00 per kWh: 0.1 c/Wh and 0.3 c/Wh.
            Assert.InRange(price.Minor, (wh + 9) / 10, (3 * wh + 9) / 10);
            Assert.Equal(Currency.ZAR, price.Currency);
        }, iter: 500);
    }
}
