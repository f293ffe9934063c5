using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Events;

public sealed class FaultInjectionTests
{
    [Fact]
    public void Cover_open_emits_once_latches_and_opens_the_relay()
    {
        var meter = Constant(1000, 100_000);
        var outputs = meter.OpenCover();
        Single<CoverOpen>(outputs);
        Assert.Equal(DisconnectReasons.Tamper, Single<RelayOpened>(outputs).Reason);
        Assert.Empty(meter.OpenCover());
        meter.Tick(Duration.FromHours(1));
        Assert.Equal(Alarms.CoverOpen, meter.Display.ActiveAlarms);
        Assert.Equal(0, meter.EnergyWh);
    }

    [Fact]
    public void Magnetic_tamper_is_reported_and_cleared_by_command()
    {
        var meter = Constant(1000, 100_000, new CreditPolicy { LowCreditWh = 0, DisconnectOnTamper = false });
        Single<MagneticTamper>(meter.ApplyMagnet());
        Assert.Equal(RelayState.Connected, meter.Relay);

        Single<TamperCleared>(meter.Apply(new ClearTamper(2)));
        Assert.Equal(Alarms.None, meter.Display.ActiveAlarms);
    }

    [Fact]
    public void Remote_connect_is_refused_while_tamper_holds_the_relay_open()
    {
        var meter = Constant(1000, 100_000);
        meter.OpenCover();
        Assert.Equal(CommandRejection.TamperLatched, Single<CommandRejected>(meter.Apply(new Connect(1))).Reason);
        Assert.Equal(RelayState.Disconnected, meter.Relay);
    }

    [Fact]
    public void Over_and_under_voltage_are_emitted_once_per_excursion()
    {
        var meter = Constant(1000, 100_000);
        Assert.Equal(2_650, Single<OverVoltage>(meter.SetSupplyVoltage(2_650)).VoltageDeciVolts);
        Assert.Empty(meter.Tick(Duration.FromHours(1)).OfType<OverVoltage>());
        Assert.Equal(2_650, meter.Instantaneous.VoltageDeciVolts);

        Assert.Empty(meter.SetSupplyVoltage(null));
        Assert.Equal(1_800, Single<UnderVoltage>(meter.SetSupplyVoltage(1_800)).VoltageDeciVolts);
        Assert.Equal(Alarms.UnderVoltage, meter.Display.ActiveAlarms);
        Assert.Equal(5_555, meter.Instantaneous.CurrentMilliAmps); // 1 000 W at 180.0 V
    }

    [Fact]
    public void Power_outage_stops_consumption_and_readings_until_restored()
    {
        var meter = Constant(1000, 100_000);
        Single<PowerOutage>(meter.CutPower());
        Assert.Empty(meter.Tick(Duration.FromHours(2)));
        Assert.Equal(0, meter.EnergyWh);
        Assert.Equal(new Instantaneous(0, 0, 0), meter.Instantaneous);

        Single<PowerRestored>(meter.RestorePower());
        meter.Tick(Duration.FromHours(1));
        Assert.Equal(1000, meter.EnergyWh);
    }

    [Fact]
    public void Friendly_hours_ending_during_an_outage_disconnect_on_restore()
    {
        var nights = new FriendlyHours([new FriendlyWindow(new LocalTime(18, 0), new LocalTime(6, 0))], [], []);
        var meter = Constant(1000, 500, new CreditPolicy { LowCreditWh = 0, FriendlyHours = nights });
        meter.Advance(Local(3, 5));
        meter.CutPower();
        meter.Advance(Local(3, 7));
        var outputs = meter.RestorePower();
        Assert.Equal(Local(3, 7), Single<RelayOpened>(outputs).At);
    }

    [Fact]
    public void Overload_trips_and_the_meter_retries_after_the_delay()
    {
        var config = Configuration(100_000, scalePercent: 0) with { MaximumPowerWatts = 2_000 };
        var meter = new PrepaidMeter(config);
        var start = meter.Now;
        Assert.Equal(DisconnectReasons.Overload, Single<RelayOpened>(meter.SetExtraLoad(3_000)).Reason);

        var retry = meter.Tick(Duration.FromMinutes(6));
        Assert.Equal(start + Duration.FromMinutes(5), Single<RelayClosed>(retry).At);
        Assert.Equal(start + Duration.FromMinutes(5), Single<RelayOpened>(retry).At); // still overloaded

        meter.SetExtraLoad(1_500);
        Assert.Equal(start + Duration.FromMinutes(10), Single<RelayClosed>(meter.Tick(Duration.FromMinutes(6))).At);
        Assert.Equal(RelayState.Connected, meter.Relay);
    }
}
