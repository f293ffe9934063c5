using CsCheck;
using NodaTime;
using Prepay.Meter.Events;
using Prepay.Meter.Json;
using Prepay.Meter.Load;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Registers;

public sealed class ConsumptionTests
{
    [Fact]
    public void Constant_load_of_1200_W_for_an_hour_registers_1200_Wh()
    {
        var meter = Constant(1200, 1_000_000);
        meter.Tick(Duration.FromHours(1));
        Assert.Equal(1200, meter.EnergyWh);
    }

    [Fact]
    public void Sub_watt_hour_remainders_are_carried_so_no_energy_is_lost()
    {
        // 7 W for 1 s is 1/514 Wh: a meter that rounded each second would never register anything.
        var meter = Constant(7, 1_000_000);
        for (int i = 0; i < 3600; i++)
        {
            meter.Tick(Duration.FromSeconds(1));
        }

        Assert.Equal(7, meter.EnergyWh);
    }

    [Fact]
    public void One_tick_of_an_hour_and_sixty_ticks_of_a_minute_give_the_same_register_and_outputs()
    {
        var once = new PrepaidMeter(Configuration(1_000_000));
        var sliced = new PrepaidMeter(Configuration(1_000_000));
        var a = once.Tick(Duration.FromHours(1));
        var b = Enumerable.Range(0, 60).SelectMany(_ => sliced.Tick(Duration.FromMinutes(1))).ToList();

        Assert.Equal(once.EnergyWh, sliced.EnergyWh);
        Assert.True(once.EnergyWh > 0);
        Assert.Equal(Json(a), Json(b));
    }

    [Fact]
    public void Register_equals_the_profile_integrated_minute_by_minute()
    {
        var config = Configuration(10_000_000, shape: LoadShape.Dormitory);
        var meter = new PrepaidMeter(config);
        meter.Advance(config.Start + Duration.FromDays(2));

        var profile = new LoadProfile(LoadShape.Dormitory, config.Seed, Zone);
        long wattMinutes = Enumerable.Range(0, 2 * 1440).Sum(m => (long)profile.WattsAt(config.Start + Duration.FromMinutes(m)));
        Assert.Equal(wattMinutes / 60, meter.EnergyWh);
    }

    [Fact]
    public void Credit_falls_by_exactly_the_energy_registered()
    {
        var meter = new PrepaidMeter(Configuration(50_000));
        meter.Tick(Duration.FromHours(5));
        Assert.True(meter.EnergyWh > 0);
        Assert.Equal(50_000 - meter.EnergyWh, meter.CreditWh);
    }

    [Fact]
    public void Any_slicing_of_time_gives_the_same_register_and_outputs()
    {
        Gen.Int[1, 7200].Array[1, 40].Sample(seconds =>
        {
            var reference = new PrepaidMeter(Configuration(3_000));
            var sliced = new PrepaidMeter(Configuration(3_000));
            var end = reference.Now + Duration.FromSeconds(seconds.Sum());
            var expected = reference.Advance(end);
            var actual = seconds.SelectMany(s => sliced.Tick(Duration.FromSeconds(s))).ToList();
            return reference.EnergyWh == sliced.EnergyWh && reference.CreditWh == sliced.CreditWh && Json(expected) == Json(actual);
        });
    }

    [Fact]
    public void Energy_register_never_decreases_whatever_happens()
    {
        var step = Gen.Frequency(
            (6, Gen.Int[0, 5000].Select(s => (Action<PrepaidMeter>)(m => m.Tick(Duration.FromSeconds(s))))),
            (1, Gen.Int[0, 9000].Select(w => (Action<PrepaidMeter>)(m => m.SetExtraLoad(w)))),
            (1, Gen.Long[1, 5000].Select(wh => (Action<PrepaidMeter>)(m => m.Apply(new Prepay.Meter.Commands.AddCredit(m.Now.ToUnixTimeTicks(), wh))))),
            (1, Gen.Const((Action<PrepaidMeter>)(m => m.CutPower()))),
            (1, Gen.Const((Action<PrepaidMeter>)(m => m.RestorePower()))),
            (1, Gen.Const((Action<PrepaidMeter>)(m => m.PressButton()))));
        step.Array[1, 60].Sample(steps =>
        {
            var meter = new PrepaidMeter(Configuration(2_000));
            long last = meter.EnergyWh;
            foreach (var s in steps)
            {
                s(meter);
                if (meter.EnergyWh < last)
                {
                    return false;
                }

                last = meter.EnergyWh;
            }

            return true;
        });
    }

    [Fact]
    public void Interval_readings_come_every_quarter_hour_with_deltas_that_add_up()
    {
        var meter = new PrepaidMeter(Configuration(1_000_000));
        var readings = meter.Tick(Duration.FromHours(6)).OfType<Reading>().ToList();

        Assert.Equal(24, readings.Count);
        Assert.All(readings, r => Assert.Equal(0, r.At.ToUnixTimeSeconds() % 900));
        Assert.Equal(readings[^1].EnergyWh, readings.Sum(r => r.DeltaWh));
        Assert.All(readings, r => Assert.InRange(r.VoltageDeciVolts, 2260, 2340));
        Assert.All(readings, r => Assert.Equal(r.ActivePowerWatts * 10_000L / r.VoltageDeciVolts, r.CurrentMilliAmps));
    }

    [Fact]
    public void Time_does_not_go_back()
    {
        var meter = new PrepaidMeter(Configuration(1_000));
        Assert.Throws<ArgumentOutOfRangeException>(() => meter.Advance(meter.Now - Duration.FromSeconds(1)));
    }

    private static string Json(IEnumerable<MeterOutput> outputs) => System.Text.Json.JsonSerializer.Serialize(outputs.ToArray(), MeterJson.Options);
}
