using NodaTime;
using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using Prepay.Sts.Meter;
using Prepay.Sts.Tokens;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Keypad;

public sealed class TokenEntryTests
{
    [Fact]
    public void Credit_token_from_the_issuer_is_accepted_once_and_used_the_second_time()
    {
        var meter = Constant(1000, 500);
        string token = CreditToken(tid: 1_000_000, units: 125); // 12.5 kWh

        var first = Single<TokenAccepted>(meter.EnterToken(token));
        Assert.Equal(12_500, first.CreditAddedWh);
        Assert.Equal(13_000, meter.CreditWh);

        var second = Single<TokenRejected>(meter.EnterToken(token));
        Assert.Equal(KeypadResult.Used, second.Result);
        Assert.Equal(13_000, meter.CreditWh);
        Assert.Equal(KeypadResult.Used, meter.Display.LastKeypadResult);
    }

    [Fact]
    public void Mistyped_token_is_rejected_and_adds_nothing()
    {
        var meter = Constant(1000, 500);
        string token = CreditToken(1_000, 100);
        string mistyped = token[..19] + (token[19] == '0' ? '1' : '0');
        Assert.Equal(KeypadResult.Reject, Single<TokenRejected>(meter.EnterToken(mistyped)).Result);
        Assert.Equal(KeypadResult.Reject, Single<TokenRejected>(meter.EnterToken("not a token")).Result);
        Assert.Equal(500, meter.CreditWh);
    }

    [Fact]
    public void Token_reconnects_a_meter_disconnected_for_credit()
    {
        var meter = Constant(1000, 500);
        meter.Advance(Local(2, 19));
        var outputs = meter.EnterToken(CreditToken(2_000, 10));
        Single<RelayClosed>(outputs);
        Assert.Equal(1_000, meter.CreditWh);
    }

    [Fact]
    public void Token_repays_emergency_credit_first()
    {
        var meter = Constant(1000, 1_000, new Prepay.Meter.Credit.CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 2_000 });
        meter.Advance(Local(2, 20)); // emergency taken at 19:00, 1 000 Wh of it used
        var accepted = Single<TokenAccepted>(meter.EnterToken(CreditToken(3_000, 50)));
        Assert.Equal(5_000, accepted.TokenWh);
        Assert.Equal(3_000, accepted.CreditAddedWh);
        Assert.Equal(4_000, meter.CreditWh);
    }

    [Fact]
    public void Maximum_power_limit_token_sets_the_overload_threshold()
    {
        var meter = Constant(1000, 100_000);
        Single<TokenAccepted>(meter.EnterToken(ManagementToken(ManagementSubclass.SetMaximumPowerLimit, 4_000, 2_000)));
        Assert.Equal(2_000, meter.PowerLimitWatts);

        var outputs = meter.SetExtraLoad(2_500);
        Assert.Equal(2_500, Single<Overload>(outputs).PowerWatts);
        Assert.Equal(DisconnectReasons.Overload, Single<RelayOpened>(outputs).Reason);
    }

    [Fact]
    public void Clear_credit_token_empties_the_register_and_the_meter_disconnects()
    {
        var meter = Constant(1000, 100_000);
        var outputs = meter.EnterToken(ManagementToken(ManagementSubclass.ClearCredit, 5_000, 0xFFFF));
        Single<TokenAccepted>(outputs);
        Single<RelayOpened>(outputs);
        Assert.Equal(0, meter.CreditWh);
    }

    [Fact]
    public void Clear_tamper_token_clears_the_alarm_and_reconnects()
    {
        var meter = Constant(1000, 100_000);
        meter.OpenCover();
        Assert.Equal(DisconnectReasons.Tamper, meter.DisconnectReasons);

        var outputs = meter.EnterToken(ManagementToken(ManagementSubclass.ClearTamperCondition, 6_000, 0));
        Single<TamperCleared>(outputs);
        Single<RelayClosed>(outputs);
        Assert.Equal(Alarms.None, meter.Display.ActiveAlarms);
    }

    [Fact]
    public void Keypad_is_dark_during_a_power_outage()
    {
        var meter = Constant(1000, 500);
        meter.CutPower();
        Assert.Empty(meter.EnterToken(CreditToken(7_000, 10)));
        meter.RestorePower();
        Single<TokenAccepted>(meter.EnterToken(CreditToken(7_000, 10)));
    }
}
