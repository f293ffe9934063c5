using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Credit;

public sealed class DisconnectionTests
{
    private static readonly FriendlyHours Nights = new([new FriendlyWindow(new LocalTime(20, 0), new LocalTime(6, 0))], [], []);

    [Fact]
    public void Relay_opens_at_the_instant_credit_reaches_zero()
    {
        // 500 Wh at 1000 W lasts exactly 30 minutes from 18:00 on a Monday.
        var meter = Constant(1000, 500);
        var outputs = meter.Advance(Local(2, 20));

        var exhausted = Single<CreditExhausted>(outputs);
        var opened = Single<RelayOpened>(outputs);
        Assert.Equal(Local(2, 18, 30), exhausted.At);
        Assert.Equal(Local(2, 18, 30), opened.At);
        Assert.Equal(DisconnectReasons.CreditExhausted, opened.Reason);
        Assert.Equal(0, meter.CreditWh);
        Assert.Equal(500, meter.EnergyWh);
        Assert.Equal(RelayState.Disconnected, meter.Relay);
    }

    [Fact]
    public void Relay_stays_closed_while_credit_is_above_zero()
    {
        var meter = Constant(1000, 501);
        Assert.Empty(meter.Advance(Local(2, 18, 30)).OfType<RelayOpened>());
        Assert.Equal(1, meter.CreditWh);
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void Credit_running_out_in_friendly_hours_does_not_disconnect_until_they_end()
    {
        // Zero at 20:30, inside 20:00-06:00: supply continues and credit goes negative until 06:00.
        var meter = Constant(1000, 2_500, new CreditPolicy { LowCreditWh = 0, FriendlyHours = Nights });
        var outputs = meter.Advance(Local(3, 8));

        Assert.Equal(Local(2, 20, 30), Single<CreditExhausted>(outputs).At);
        var opened = Single<RelayOpened>(outputs);
        Assert.Equal(Local(3, 6), opened.At);
        Assert.Equal(DisconnectReasons.CreditExhausted, opened.Reason);
        Assert.Equal(-9_500, meter.CreditWh); // 9.5 h in friendly debt at 1 kW
    }

    [Fact]
    public void Credit_running_out_just_before_friendly_hours_disconnects()
    {
        var meter = Constant(1000, 1_000, new CreditPolicy { LowCreditWh = 0, FriendlyHours = Nights });
        Assert.Equal(Local(2, 19), Single<RelayOpened>(meter.Advance(Local(3, 8))).At);
    }

    [Fact]
    public void Weekends_and_holidays_are_friendly_days()
    {
        var policy = new CreditPolicy { LowCreditWh = 0, FriendlyHours = new FriendlyHours([], [IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday], [new LocalDate(2026, 3, 9)]) };
        var meter = new PrepaidMeter(Configuration(1_000, policy, scalePercent: 0, start: Local(7, 12)));
        meter.SetExtraLoad(1000);

        // Saturday noon, zero at 13:00; Sunday and the Monday holiday follow; Tuesday 00:00 disconnects.
        var opened = Single<RelayOpened>(meter.Advance(Local(10, 12)));
        Assert.Equal(Local(10, 0), opened.At);
    }

    [Fact]
    public void Friendly_debt_stops_at_the_configured_limit()
    {
        var meter = Constant(1000, 2_500, new CreditPolicy { LowCreditWh = 0, FriendlyHours = Nights, FriendlyDebtLimitWh = 3_000 });
        var opened = Single<RelayOpened>(meter.Advance(Local(3, 8)));
        Assert.Equal(Local(2, 23, 30), opened.At);
        Assert.Equal(-3_000, meter.CreditWh);
    }

    [Fact]
    public void Protected_customer_is_never_disconnected_for_credit_tamper_or_by_command()
    {
        var meter = Constant(1000, 100, new CreditPolicy { LowCreditWh = 0, IsProtected = true });
        var outputs = meter.Advance(Local(4, 18)).ToList();
        outputs.AddRange(meter.OpenCover());
        outputs.AddRange(meter.Apply(new Disconnect(1)));

        Assert.Empty(outputs.OfType<RelayOpened>());
        Assert.Equal(CommandRejection.ProtectedCustomer, Single<CommandRejected>(outputs).Reason);
        Assert.Single(outputs.OfType<CreditExhausted>());
        Assert.Single(outputs.OfType<CoverOpen>());
        Assert.Equal(100 - (48 * 1000), meter.CreditWh);
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void Meter_with_no_credit_at_start_is_disconnected()
    {
        var meter = Constant(1000, 0);
        Assert.Equal(RelayState.Disconnected, meter.Relay);
        meter.Tick(Duration.FromHours(1));
        Assert.Equal(0, meter.EnergyWh);
    }

    [Fact]
    public void Remote_disconnect_opens_the_relay_whatever_the_credit_and_only_connect_lifts_it()
    {
        var meter = Constant(1000, 50_000);
        Assert.Equal(DisconnectReasons.RemoteCommand, Single<RelayOpened>(meter.Apply(new Disconnect(1))).Reason);
        meter.Apply(new AddCredit(2, 10_000));
        meter.PressButton();
        Assert.Equal(RelayState.Disconnected, meter.Relay);
        Single<RelayClosed>(meter.Apply(new Connect(3)));
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void Remote_connect_without_credit_is_refused_outside_friendly_hours()
    {
        var meter = Constant(1000, 0);
        Assert.Equal(CommandRejection.InsufficientCredit, Single<CommandRejected>(meter.Apply(new Connect(1))).Reason);
        Assert.Equal(RelayState.Disconnected, meter.Relay);
    }

    [Fact]
    public void Remote_connect_without_credit_in_friendly_hours_supplies_until_they_end()
    {
        var meter = new PrepaidMeter(Configuration(0, new CreditPolicy { LowCreditWh = 0, FriendlyHours = Nights }, scalePercent: 0, start: Local(2, 19)));
        meter.Advance(Local(2, 21));
        Assert.Equal(RelayState.Disconnected, meter.Relay); // friendly hours do not reconnect by themselves
        Single<RelayClosed>(meter.Apply(new Connect(1)));
        meter.SetExtraLoad(500);
        Assert.Equal(Local(3, 6), Single<RelayOpened>(meter.Advance(Local(3, 7))).At);
        Assert.Equal(-4_500, meter.CreditWh);
    }
}
