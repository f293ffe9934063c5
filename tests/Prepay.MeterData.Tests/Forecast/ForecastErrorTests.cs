using System.Globalization;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Meter;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Load;
using Prepay.MeterData.Forecast;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;

namespace Prepay.MeterData.Tests.Forecast;

/// <summary>
/// The forecast's error on the simulator's history (issue 17, item 3): virtual meters of every load shape (households,
/// shops, dormitories, workshops) run for eight weeks; at many instants after the first four, each is asked when a
/// given credit runs out, and the answer is checked against when the meter's own next readings used that much. The
/// mean absolute error of the weekday-and-hour forecast is printed beside the flat average's and must beat it.
/// </summary>
public sealed class ForecastErrorTests
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    [Fact]
    public void The_weekday_and_hour_forecast_is_nearer_the_truth_than_a_flat_average_on_simulated_meters()
    {
        var start = new LocalDateTime(2026, 5, 4, 0, 0).InZoneStrictly(Zone).ToInstant();
        var random = new Random(20261204);
        var profileErrors = new List<double>();
        var flatErrors = new List<double>();
        foreach (var shape in Enum.GetValues<LoadShape>())
        {
            for (var m = 0; m < 6; m++)
            {
                var readings = Run(shape, seed: 1_000 + (int)shape * 10 + m, start, Duration.FromDays(56));
                for (var q = 0; q < 8; q++)
                {
                    var at = start + Duration.FromDays(28) + Duration.FromHours(random.Next(14 * 24));
                    var credit = new Energy(5_000 + random.Next(60_000));
                    var actual = RunsOut(readings, at, credit.WattHours);
                    if (actual is null)
                    {
                        continue;
                    }
                    var profile = CreditForecaster.Forecast(readings, Zone, at, credit);
                    var flat = CreditForecaster.Flat(readings, at, credit);
                    Assert.Equal(ForecastMethod.WeekdayHour, profile.Method);
                    profileErrors.Add(Math.Abs(((profile.RunsOutAt ?? at + CreditForecaster.Horizon) - actual.Value).TotalHours));
                    flatErrors.Add(Math.Abs(((flat.RunsOutAt ?? at + CreditForecaster.Horizon) - actual.Value).TotalHours));
                }
            }
        }

        var (profileMae, flatMae) = (profileErrors.Average(), flatErrors.Average());
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{profileErrors.Count} forecasts: mean absolute error {profileMae:0.0} h by weekday and hour, {flatMae:0.0} h flat ({profileMae / flatMae:0.00} of it); median {Median(profileErrors):0.0} h against {Median(flatErrors):0.0} h"));
        Assert.True(profileErrors.Count >= 150, $"only {profileErrors.Count} forecasts could be checked");
        Assert.True(profileMae < flatMae * 0.9, $"weekday-hour {profileMae:0.0} h is not clearly better than flat {flatMae:0.0} h");
    }

    [Fact]
    public void Credit_runs_out_on_the_busy_hours_of_the_profile_not_the_flat_average()
    {
        // Two weeks of a meter using 1 kWh an hour from 18:00 to 22:00 local and nothing else.
        var start = new LocalDateTime(2026, 6, 1, 0, 0).InZoneStrictly(Zone).ToInstant();
        var readings = Enumerable.Range(0, 14 * 24 * 4).Select(i => start + Duration.FromMinutes(15 * (i + 1)))
            .Select(end => new ConsumptionPoint(end, new Energy((end - Duration.FromMinutes(1)).InZone(Zone).Hour is >= 18 and < 22 ? 250 : 0))).ToList();
        var at = start + Duration.FromDays(14) + Duration.FromHours(9); // 09:00 local, a Monday

        var forecast = CreditForecaster.Forecast(readings, Zone, at, new Energy(6_000));

        // 4 kWh tonight (18:00-22:00), 2 kWh more by 20:00 tomorrow.
        Assert.Equal(ForecastMethod.WeekdayHour, forecast.Method);
        Assert.Equal(new LocalDateTime(2026, 6, 16, 20, 0), forecast.RunsOutAt!.Value.InZone(Zone).LocalDateTime);
        Assert.Equal(1, forecast.DaysLeft);
        var flat = CreditForecaster.Flat(readings, at, new Energy(6_000));
        Assert.Equal(36, (int)Math.Round(flat.Left!.Value.TotalHours)); // 4 kWh a day on average: a day and a half
        Assert.Null(CreditForecaster.Forecast(readings.Take(10).ToList(), Zone, at, new Energy(6_000)).RunsOutAt);
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    // When the meter's readings after `at` add up to `credit`: the truth the forecast is held against.
    private static Instant? RunsOut(IReadOnlyList<ConsumptionPoint> readings, Instant at, long credit)
    {
        long used = 0;
        foreach (var r in readings.Where(r => r.End > at))
        {
            used += r.Energy.WattHours;
            if (used >= credit)
            {
                return r.End;
            }
        }
        return null;
    }

    private static List<ConsumptionPoint> Run(LoadShape shape, int seed, Instant start, Duration length)
    {
        var meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = "forecast-" + seed,
            Seed = seed,
            Start = start,
            Shape = shape,
            ZoneId = Zone.Id,
            Sts = new MeterState { DecoderKey = DecoderKey.ParseHex("e653341f9d5bf36f"), Algorithm = EncryptionAlgorithm.Sta, BaseDate = BaseDate.Y1993, SupplyGroupCode = 123456, TariffIndex = 1 },
            InitialCreditWh = 100_000_000, // never runs out: the load alone
            Policy = new CreditPolicy { LowCreditWh = 0 },
        });
        return [.. meter.Advance(start + length).OfType<Reading>().Where(r => r.Kind == ReadingKind.Interval).Select(r => new ConsumptionPoint(r.At, new Energy(r.DeltaWh)))];
    }
}
