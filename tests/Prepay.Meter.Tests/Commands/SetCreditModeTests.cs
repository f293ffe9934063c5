using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Json;
using Prepay.Meter.Registers;
using Prepay.Meter.Snapshots;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Commands;

/// <summary>
/// When <see cref="SetCreditMode"/> takes effect: acknowledged at once, changed at the first reading boundary at or after
/// its From and after the meter's clock, after the reading ending there; the newest command deciding; kept across a restart.
/// </summary>
public sealed class SetCreditModeTests
{
    // MondayEvening is 16:00 UTC, a reading boundary; 1 kW is 250 Wh an interval.
    private static Instant Utc(int hour, int minute, int second = 0) => Instant.FromUtc(2026, 3, 2, hour, minute, second);

    [Theory]
    [InlineData(5, 20, 30)] // from inside an interval: the boundary after it
    [InlineData(5, 45, 45)] // from on a boundary: that boundary
    [InlineData(5, -60, 15)] // from in the past: the next boundary
    [InlineData(15, 15, 30)] // from now, on the boundary whose reading is out: the next one
    [InlineData(14, 15, 15)]
    public void The_change_is_scheduled_for_the_first_reading_boundary_at_or_after_from_and_after_now(int nowMinute, int fromMinute, int boundaryMinute)
    {
        var meter = Constant(1000, 10_000);
        meter.Advance(Utc(16, nowMinute));

        var outputs = meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 0) + Duration.FromMinutes(fromMinute), 0));

        Assert.Equal(1, Single<CommandApplied>(outputs).CommandId);
        Assert.Equal(new CreditModeChange(CreditMode.Central, Utc(16, boundaryMinute), 0), meter.PendingCreditModeChange);
        Assert.Equal(CreditMode.Meter, meter.CreditMode);
    }

    [Fact]
    public void Credit_is_handed_over_at_the_boundary_after_the_reading_ending_there_and_not_before()
    {
        var meter = Constant(1000, 10_000);
        meter.Advance(Utc(16, 5));
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 20), 0));

        var before = meter.Advance(Utc(16, 29, 59));
        Assert.Empty(before.OfType<CreditHandedOver>());
        Assert.Equal(CreditMode.Meter, meter.CreditMode);

        var at = meter.Advance(Utc(16, 30));
        var reading = Single<Reading>(at);
        var handover = Single<CreditHandedOver>(at);
        Assert.Equal(10_000 - 500, reading.CreditWh); // the interval ending at the boundary was still counted down here
        Assert.Equal(new CreditHandedOver(Utc(16, 30), 9_500, 0), handover);
        Assert.True(at.ToList().IndexOf(reading) < at.ToList().IndexOf(handover));
        Assert.Equal((CreditMode.Central, 0L, 0L, (CreditModeChange?)null), (meter.CreditMode, meter.CreditWh, meter.EmergencyOwedWh, meter.PendingCreditModeChange));
    }

    [Fact]
    public void The_emergency_credit_owed_is_handed_over_with_the_register()
    {
        var meter = Constant(1000, 200, new CreditPolicy { LowCreditWh = 0, EmergencyCreditWh = 1_000 });
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 1), 0));

        var outputs = meter.Advance(Utc(16, 15)); // 200 Wh gone at 16:12, 1 000 Wh emergency taken, 50 Wh of it used

        Single<EmergencyCreditActivated>(outputs);
        Assert.Equal(new CreditHandedOver(Utc(16, 15), 950, 1_000), Single<CreditHandedOver>(outputs));
        Assert.Equal((0L, 0L), (meter.CreditWh, meter.EmergencyOwedWh));
    }

    [Fact]
    public void A_boundary_passed_in_a_power_outage_does_not_count_the_first_reading_after_it_does()
    {
        var meter = Constant(1000, 10_000);
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 10), 0));
        meter.Advance(Utc(16, 10));
        meter.CutPower();

        Assert.Empty(meter.Advance(Utc(16, 40)).OfType<CreditHandedOver>());
        meter.RestorePower();
        Assert.Equal(CreditMode.Meter, meter.CreditMode);

        var outputs = meter.Advance(Utc(16, 45));
        Assert.Equal(10_000 - (10 + 5) * 1000 / 60, Single<Reading>(outputs).CreditWh);
        Assert.Equal(Utc(16, 45), Single<CreditHandedOver>(outputs).At);
    }

    [Fact]
    public void A_newer_command_replaces_the_pending_change_and_an_older_one_is_superseded()
    {
        var meter = Constant(1000, 10_000);
        meter.Apply(new SetCreditMode(5, CreditMode.Central, Utc(18, 0), 0));
        Single<CommandApplied>(meter.Apply(new SetCreditMode(6, CreditMode.Central, Utc(16, 30), 0)));

        var late = Single<CommandRejected>(meter.Apply(new SetCreditMode(4, CreditMode.Central, Utc(17, 0), 0)));

        Assert.Equal(CommandRejection.Superseded, late.Reason);
        Assert.Equal(Utc(16, 30), meter.PendingCreditModeChange!.At);
        Assert.Equal(Utc(16, 30), Single<CreditHandedOver>(meter.Advance(Utc(19, 0))).At);
    }

    [Fact]
    public void A_newer_command_for_the_mode_in_force_drops_the_pending_change()
    {
        var meter = Constant(1000, 10_000);
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 30), 0));

        Single<CommandApplied>(meter.Apply(new SetCreditMode(2, CreditMode.Meter, Utc(16, 30), 0)));

        Assert.Null(meter.PendingCreditModeChange);
        Assert.Empty(meter.Advance(Utc(18, 0)).OfType<CreditHandedOver>());
        Assert.Equal((CreditMode.Meter, 10_000L - 2_000), (meter.CreditMode, meter.CreditWh));
    }

    [Fact]
    public void The_mode_in_force_asked_for_again_is_applied_and_changes_nothing()
    {
        var meter = Constant(1000, 10_000);

        var outputs = meter.Apply(new SetCreditMode(1, CreditMode.Meter, Utc(16, 0), 0));

        Assert.IsType<CommandApplied>(Assert.Single(outputs));
        Assert.Null(meter.PendingCreditModeChange);
        Assert.Empty(meter.Advance(Utc(17, 0)).OfType<CreditTakenOver>());
        Assert.Equal(10_000 - 1_000, meter.CreditWh);
    }

    [Fact]
    public void Credit_sent_with_the_meter_mode_in_force_is_added_at_the_boundary_a_withdrawn_central_switch_loses_nothing()
    {
        var meter = Constant(1000, 10_000);
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 30), 0));

        // Withdrawn before its handover, with the top-ups the server took centrally meanwhile.
        Single<CommandApplied>(meter.Apply(new SetCreditMode(2, CreditMode.Meter, Utc(16, 0), 3_000)));

        Assert.Equal(Utc(16, 15), meter.PendingCreditModeChange!.At);
        var outputs = meter.Advance(Utc(17, 0));
        Assert.Empty(outputs.OfType<CreditHandedOver>());
        Assert.Equal((Utc(16, 15), 3_000L), Single<CreditTakenOver>(outputs) is var taken ? (taken.At, taken.CreditWh) : default);
        Assert.Equal((CreditMode.Meter, 10_000L - 1_000 + 3_000), (meter.CreditMode, meter.CreditWh));
    }

    [Theory]
    [InlineData(CreditMode.Central, 1)]
    [InlineData(CreditMode.Meter, -1)]
    [InlineData((CreditMode)7, 0)]
    public void A_command_giving_credit_to_a_meter_handing_it_over_or_negative_credit_is_invalid(CreditMode mode, long creditWh)
    {
        var meter = Constant(1000, 10_000);

        var rejected = Single<CommandRejected>(meter.Apply(new SetCreditMode(1, mode, Utc(16, 30), creditWh)));

        Assert.Equal(CommandRejection.Invalid, rejected.Reason);
        Assert.Null(meter.PendingCreditModeChange);
    }

    [Fact]
    public void A_pending_change_survives_a_restart_and_the_restored_meter_goes_on_exactly_as_the_original()
    {
        var original = Constant(1000, 10_000);
        original.Advance(Utc(16, 7));
        original.Apply(new SetCreditMode(3, CreditMode.Central, Utc(16, 20), 0));

        var restored = RoundTrip(original);

        Assert.Equal(original.PendingCreditModeChange, restored.PendingCreditModeChange);
        Assert.Equal(CommandRejection.Superseded, Single<CommandRejected>(restored.Apply(new SetCreditMode(2, CreditMode.Central, Utc(16, 0), 0))).Reason);
        original.Apply(new SetCreditMode(2, CreditMode.Central, Utc(16, 0), 0));
        Assert.Equal(original.Advance(Utc(20, 0)), restored.Advance(Utc(20, 0)));
        Assert.Equal(CreditMode.Central, restored.CreditMode);
    }

    [Fact]
    public void A_central_meter_restored_is_still_central_and_a_snapshot_from_before_credit_modes_is_a_meter_one()
    {
        var meter = Constant(1000, 500);
        meter.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 0), 0));
        meter.Advance(Utc(16, 15));

        var restored = RoundTrip(meter);
        var outputs = restored.Advance(Utc(22, 0));
        Assert.Equal(CreditMode.Central, restored.CreditMode);
        Assert.Empty(outputs.OfType<CreditExhausted>());
        Assert.Equal((RelayState.Connected, 0L), (restored.Relay, restored.CreditWh));
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(restored.Apply(new AddCredit(2, 1_000))).Reason);

        var old = JsonNode.Parse(JsonSerializer.Serialize(Constant(1000, 500).Snapshot(), MeterJson.Options))!.AsObject();
        Assert.True(old.Remove("creditMode") && old.Remove("pendingCreditMode") && old.Remove("lastCreditModeCommandId"));
        var fromOld = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(old.ToJsonString(), MeterJson.Options)!);
        Assert.Equal((CreditMode.Meter, (CreditModeChange?)null), (fromOld.CreditMode, fromOld.PendingCreditModeChange));
        Single<CommandApplied>(fromOld.Apply(new SetCreditMode(1, CreditMode.Central, Utc(16, 0), 0)));
    }

    [Fact]
    public void The_command_and_the_events_have_their_own_names_in_json()
    {
        MeterCommand command = new SetCreditMode(9, CreditMode.Central, Utc(16, 30), 0);
        var json = JsonSerializer.Serialize(command, MeterJson.Options);
        Assert.Equal("""{"type":"setCreditMode","mode":"Central","from":"2026-03-02T16:30:00Z","creditWh":0,"commandId":9}""", json);
        Assert.Equal(command, JsonSerializer.Deserialize<MeterCommand>(json, MeterJson.Options));

        Assert.Equal("""{"type":"creditHandedOver","creditWh":1234,"emergencyOwedWh":0,"at":"2026-03-02T16:30:00Z"}""",
            JsonSerializer.Serialize<MeterOutput>(new CreditHandedOver(Utc(16, 30), 1_234, 0), MeterJson.Options));
        Assert.Equal("""{"type":"creditTakenOver","creditWh":500,"at":"2026-03-02T16:30:00Z"}""",
            JsonSerializer.Serialize<MeterOutput>(new CreditTakenOver(Utc(16, 30), 500), MeterJson.Options));
    }

    private static PrepaidMeter RoundTrip(PrepaidMeter meter) =>
        PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(JsonSerializer.Serialize(meter.Snapshot(), MeterJson.Options), MeterJson.Options)!);
}
