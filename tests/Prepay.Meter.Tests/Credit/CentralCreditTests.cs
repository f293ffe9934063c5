using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Credit;

/// <summary>
/// A meter whose credit is held centrally: it counts nothing down and never cuts for credit, obeys the server's
/// Disconnect and Connect, refuses AddCredit, keeps a typed token's credit for later; and takes its credit back at a boundary.
/// </summary>
public sealed class CentralCreditTests
{
    private static readonly Instant FirstBoundary = MondayEvening + Duration.FromMinutes(15);

    // 1 kW, handed over at the first boundary (16:15 UTC) with 500 − 250 Wh left: its own register would run out at 16:30.
    private static PrepaidMeter CentralMeter(CreditPolicy? policy = null, long creditWh = 500)
    {
        var meter = Constant(1000, creditWh, policy);
        Single<CommandApplied>(meter.Apply(new SetCreditMode(1, CreditMode.Central, MondayEvening, 0)));
        Single<CreditHandedOver>(meter.Advance(FirstBoundary));
        return meter;
    }

    [Fact]
    public void A_central_meter_whose_own_credit_would_have_run_out_keeps_supplying_for_hours()
    {
        var meter = CentralMeter(new CreditPolicy { LowCreditWh = 200, EmergencyCreditWh = 1_000 });

        var outputs = meter.Advance(FirstBoundary + Duration.FromHours(6));

        Assert.Empty(outputs.OfType<LowCredit>());
        Assert.Empty(outputs.OfType<CreditExhausted>());
        Assert.Empty(outputs.OfType<EmergencyCreditActivated>());
        Assert.Empty(outputs.OfType<RelayOpened>());
        Assert.Equal((RelayState.Connected, 0L, 0L), (meter.Relay, meter.CreditWh, meter.EmergencyOwedWh));
        var readings = outputs.OfType<Reading>().ToList();
        Assert.Equal(24, readings.Count);
        Assert.All(readings, r => Assert.Equal((250L, 0L), (r.DeltaWh, r.CreditWh)));
        Assert.False(meter.Display.LowCreditWarning);
        Assert.Equal(0m, meter.Display.CreditKwh);
    }

    [Fact]
    public void A_central_meter_obeys_the_servers_disconnect_and_connect_at_zero_credit()
    {
        var meter = CentralMeter();

        Assert.Equal(DisconnectReasons.RemoteCommand, Single<RelayOpened>(meter.Apply(new Disconnect(2))).Reason);
        Assert.Equal(0, Single<Reading>(meter.Advance(FirstBoundary + Duration.FromMinutes(15))).DeltaWh);

        var connect = meter.Apply(new Connect(3));
        Single<CommandApplied>(connect);
        Single<RelayClosed>(connect);
        Assert.Empty(meter.Advance(FirstBoundary + Duration.FromHours(3)).OfType<RelayOpened>());
        Assert.Equal(RelayState.Connected, meter.Relay);
    }

    [Fact]
    public void A_central_meter_still_refuses_connect_under_tamper_and_a_protected_one_disconnect()
    {
        var meter = CentralMeter();
        meter.OpenCover();
        Assert.Equal(CommandRejection.TamperLatched, Single<CommandRejected>(meter.Apply(new Connect(2))).Reason);

        var protectedMeter = CentralMeter(new CreditPolicy { LowCreditWh = 0, IsProtected = true });
        Assert.Equal(CommandRejection.ProtectedCustomer, Single<CommandRejected>(protectedMeter.Apply(new Disconnect(2))).Reason);
    }

    [Fact]
    public void A_meter_cut_for_credit_is_reconnected_when_it_hands_its_credit_over()
    {
        var meter = Constant(1000, 0, new CreditPolicy { LowCreditWh = 0, ReconnectMode = ReconnectMode.AfterButtonPress });
        Assert.Equal(DisconnectReasons.CreditExhausted, meter.DisconnectReasons);
        meter.Apply(new SetCreditMode(1, CreditMode.Central, MondayEvening, 0));

        var outputs = meter.Advance(FirstBoundary).ToList();

        Assert.Equal(new CreditHandedOver(FirstBoundary, 0, 0), Single<CreditHandedOver>(outputs));
        Assert.True(outputs.IndexOf(Single<CreditHandedOver>(outputs)) < outputs.IndexOf(Single<RelayClosed>(outputs)));
        Assert.Equal(DisconnectReasons.None, meter.DisconnectReasons);
    }

    [Fact]
    public void Credit_added_by_command_is_refused_while_central()
    {
        var meter = CentralMeter();

        var rejected = Single<CommandRejected>(meter.Apply(new AddCredit(2, 5_000)));

        Assert.Equal((CommandRejection.Invalid, "Credit is held centrally."), (rejected.Reason, rejected.Detail));
        Assert.Equal(0, meter.CreditWh);
    }

    [Fact]
    public void A_token_typed_while_central_is_kept_uncounted_and_is_there_when_the_meter_takes_its_credit_back()
    {
        var meter = CentralMeter();
        Assert.Equal(1_000, Single<TokenAccepted>(meter.EnterToken(CreditToken(5_000, 10))).CreditAddedWh);

        meter.Advance(FirstBoundary + Duration.FromHours(4));
        Assert.Equal(1_000, meter.CreditWh);

        meter.Apply(new SetCreditMode(2, CreditMode.Meter, meter.Now, 2_000));
        var back = meter.Advance(meter.Now + Duration.FromMinutes(15));
        Assert.Equal(2_000, Single<CreditTakenOver>(back).CreditWh);
        Assert.Equal(1_000, Single<Reading>(back).CreditWh); // the interval before the boundary was the server's
        Assert.Equal(3_000, meter.CreditWh);
        meter.Advance(meter.Now + Duration.FromMinutes(30));
        Assert.Equal(2_500, meter.CreditWh);
    }

    [Fact]
    public void The_button_takes_no_emergency_credit_while_central()
    {
        var meter = CentralMeter(new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 1_000, EmergencyActivation = EmergencyActivation.ButtonPress });

        Assert.Empty(meter.PressButton().OfType<EmergencyCreditActivated>());
        Assert.Equal((0L, 0L), (meter.CreditWh, meter.EmergencyOwedWh));
    }

    [Fact]
    public void Back_in_meter_mode_the_meter_starts_from_the_credit_given_counts_it_down_and_cuts_at_zero()
    {
        var meter = CentralMeter();
        meter.Advance(FirstBoundary + Duration.FromHours(2));
        var boundary = FirstBoundary + Duration.FromHours(2) + Duration.FromMinutes(15);
        Single<CommandApplied>(meter.Apply(new SetCreditMode(2, CreditMode.Meter, boundary - Duration.FromMinutes(3), 500)));

        var taken = meter.Advance(boundary);
        Assert.Equal(new CreditTakenOver(boundary, 500), Single<CreditTakenOver>(taken));
        Assert.Equal((CreditMode.Meter, 500L), (meter.CreditMode, meter.CreditWh));

        var outputs = meter.Advance(boundary + Duration.FromHours(1));
        Assert.Equal(boundary + Duration.FromMinutes(30), Single<CreditExhausted>(outputs).At);
        Assert.Equal(new RelayOpened(boundary + Duration.FromMinutes(30), DisconnectReasons.CreditExhausted), Single<RelayOpened>(outputs));
        Assert.Equal(CommandRejection.InsufficientCredit, Single<CommandRejected>(meter.Apply(new Connect(3))).Reason);
        Assert.Equal(4, CommandApplied(meter.Apply(new AddCredit(4, 100))));
    }

    [Fact]
    public void Taken_back_with_no_credit_the_meter_is_exhausted_at_the_boundary()
    {
        var meter = CentralMeter();
        meter.Apply(new SetCreditMode(2, CreditMode.Meter, FirstBoundary, 0));

        var outputs = meter.Advance(FirstBoundary + Duration.FromMinutes(15));

        Single<CreditTakenOver>(outputs);
        Assert.Equal(FirstBoundary + Duration.FromMinutes(15), Single<CreditExhausted>(outputs).At);
        Assert.Equal(DisconnectReasons.CreditExhausted, meter.DisconnectReasons);
    }

    private static long CommandApplied(IReadOnlyList<MeterOutput> outputs) => Single<CommandApplied>(outputs).CommandId;
}
