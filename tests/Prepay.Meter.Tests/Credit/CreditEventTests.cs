using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Credit;

public sealed class CreditEventTests
{
    [Fact]
    public void Low_credit_fires_once_per_crossing_and_re_arms_when_credit_rises_above_the_threshold()
    {
        var meter = Constant(1000, 1_000, new CreditPolicy { LowCreditWh = 500 });
        var first = meter.Advance(Local(2, 18, 45)); // crosses 500 at 18:30, then stays below
        Assert.Equal(Local(2, 18, 30), Single<LowCredit>(first).At);

        Assert.Empty(meter.Apply(new AddCredit(1, 100)).OfType<LowCredit>()); // 350 Wh: still below, not re-armed
        meter.Apply(new AddCredit(2, 1_000)); // 1 350 Wh: above again
        var second = meter.Advance(Local(2, 20));
        Assert.Equal(Local(2, 18, 45) + Duration.FromMinutes(51), Single<LowCredit>(second).At);
    }

    [Fact]
    public void Emergency_credit_is_taken_once_at_zero_and_repaid_from_the_next_credit()
    {
        var meter = Constant(1000, 1_000, new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 2_000 });
        var outputs = meter.Advance(Local(2, 23));

        Assert.Equal(Local(2, 19), Single<EmergencyCreditActivated>(outputs).At);
        Assert.Equal(Local(2, 21), Single<RelayOpened>(outputs).At); // emergency credit ran out: no second helping
        Assert.Equal(2, outputs.OfType<CreditExhausted>().Count());
        Assert.Equal(2_000, meter.EmergencyOwedWh);

        meter.Apply(new AddCredit(1, 5_000));
        Assert.Equal(3_000, meter.CreditWh);
        Assert.Equal(0, meter.EmergencyOwedWh);
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void Credit_smaller_than_the_emergency_debt_only_repays_it()
    {
        var meter = Constant(1000, 1_000, new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 2_000 });
        meter.Advance(Local(2, 23));
        var outputs = meter.Apply(new AddCredit(1, 1_500));
        Assert.Equal(0, meter.CreditWh);
        Assert.Equal(500, meter.EmergencyOwedWh);
        Assert.Empty(outputs.OfType<RelayClosed>());
    }

    [Fact]
    public void Emergency_credit_by_button_press_reconnects()
    {
        var meter = Constant(1000, 1_000, new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 2_000, EmergencyActivation = EmergencyActivation.ButtonPress });
        Assert.Equal(Local(2, 19), Single<RelayOpened>(meter.Advance(Local(2, 20))).At);

        var pressed = meter.PressButton();
        Single<EmergencyCreditActivated>(pressed);
        Single<RelayClosed>(pressed);
        Assert.Empty(meter.PressButton().OfType<EmergencyCreditActivated>());
        Assert.Equal(2_000, meter.CreditWh);
    }

    [Fact]
    public void Relay_closes_at_once_when_credit_returns_in_automatic_mode()
    {
        var meter = Constant(1000, 500);
        meter.Advance(Local(2, 19));
        var outputs = meter.Apply(new AddCredit(1, 1_000));
        Assert.Equal(Local(2, 19), Single<RelayClosed>(outputs).At);
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void Relay_waits_for_the_button_when_credit_returns_in_button_mode()
    {
        var meter = Constant(1000, 500, new CreditPolicy { LowCreditWh = 0, ReconnectMode = ReconnectMode.AfterButtonPress });
        meter.Advance(Local(2, 19));
        Assert.Empty(meter.Apply(new AddCredit(1, 1_000)).OfType<RelayClosed>());
        Assert.Equal(DisconnectReasons.AwaitingButtonPress, meter.DisconnectReasons);
        Assert.Equal(0, meter.Instantaneous.ActivePowerWatts);

        meter.Tick(Duration.FromMinutes(10));
        Single<RelayClosed>(meter.PressButton());
        Assert.Equal(1_000, meter.CreditWh);
        Assert.Equal(1_000, meter.Instantaneous.ActivePowerWatts);
    }

    [Fact]
    public void Button_press_does_not_reconnect_without_credit()
    {
        var meter = Constant(1000, 500, new CreditPolicy { LowCreditWh = 0, ReconnectMode = ReconnectMode.AfterButtonPress });
        meter.Advance(Local(2, 19));
        Assert.Empty(meter.PressButton().OfType<RelayClosed>());
        Assert.Equal(RelayState.Disconnected, meter.Relay);
    }
}
