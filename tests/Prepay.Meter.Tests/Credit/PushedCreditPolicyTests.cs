using System.Text.Json;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Json;
using Prepay.Meter.Registers;
using Prepay.Meter.Snapshots;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Credit;

/// <summary>
/// A disconnection policy's rules pushed to the meter (<see cref="SetCreditPolicy"/>): its own cut at zero credit keeps
/// them. Days of March 2026 in Johannesburg: 2 is a Monday, 3 a Tuesday, 4 a Wednesday. Every meter draws 1 kW.
/// </summary>
public sealed class PushedCreditPolicyTests
{
    private static readonly LocalTime Six = new(18, 0);

    /// <summary>Monday 18:00 for 840 minutes: to Tuesday 08:00.</summary>
    private static readonly WeeklyFriendlyWindow MondayNight = new(IsoDayOfWeek.Monday, Six, 840);

    private static SetCreditPolicy Push(long id, IReadOnlyList<WeeklyFriendlyWindow> windows, IReadOnlyList<LocalDate>? holidays = null, bool isProtected = false) =>
        new(id, "IN-UPPCL", 1, windows, holidays ?? [], isProtected);

    [Fact]
    public void Credit_running_out_in_a_pushed_weekday_window_is_not_cut_until_it_ends_past_midnight()
    {
        // Zero at 20:30 Monday, inside Monday 18:00 + 840 min: supply continues through midnight until Tuesday 08:00.
        var meter = Constant(1000, 2_500);
        Single<CommandApplied>(meter.Apply(Push(1, [MondayNight])));

        var outputs = meter.Advance(Local(3, 10));

        Assert.Equal(Local(2, 20, 30), Single<CreditExhausted>(outputs).At);
        var opened = Single<RelayOpened>(outputs);
        Assert.Equal(Local(3, 8), opened.At);
        Assert.Equal(DisconnectReasons.CreditExhausted, opened.Reason);
        Assert.Equal(-11_500, meter.CreditWh); // 20:30 to 08:00 in friendly debt
    }

    [Fact]
    public void A_window_of_another_weekday_does_not_spare_this_one()
    {
        var meter = Constant(1000, 2_500);
        meter.Apply(Push(1, [MondayNight with { Day = IsoDayOfWeek.Tuesday }]));
        Assert.Equal(Local(2, 20, 30), Single<RelayOpened>(meter.Advance(Local(3, 10))).At);
    }

    [Fact]
    public void A_two_day_window_covers_the_whole_day_after_the_one_it_starts_on()
    {
        // Saturday 00:00 for 2880 minutes covers the whole weekend; from Saturday noon the cut waits for Monday 00:00.
        var meter = new PrepaidMeter(Configuration(1_000, scalePercent: 0, start: Local(7, 12)));
        meter.SetExtraLoad(1000);
        meter.Apply(Push(1, [new WeeklyFriendlyWindow(IsoDayOfWeek.Saturday, LocalTime.Midnight, 2880)]));
        Assert.Equal(Local(9, 0), Single<RelayOpened>(meter.Advance(Local(9, 12))).At);
    }

    [Fact]
    public void Credit_running_out_on_a_pushed_holiday_is_not_cut_until_the_day_ends()
    {
        // Tuesday 3 March a holiday: zero at 13:00, cut at Wednesday 00:00.
        var meter = new PrepaidMeter(Configuration(1_000, scalePercent: 0, start: Local(3, 12)));
        meter.SetExtraLoad(1000);
        meter.Apply(Push(1, [], [new LocalDate(2026, 3, 3)]));

        var outputs = meter.Advance(Local(4, 12));

        Assert.Equal(Local(3, 13), Single<CreditExhausted>(outputs).At);
        Assert.Equal(Local(4, 0), Single<RelayOpened>(outputs).At);
    }

    [Fact]
    public void A_pushed_protected_household_is_never_cut_and_pushing_it_unprotected_cuts_at_once()
    {
        var meter = Constant(1000, 500);
        meter.Apply(Push(1, [], isProtected: true));
        Assert.Empty(meter.Advance(Local(4, 18)).OfType<RelayOpened>());
        Assert.Equal(RelayState.Connected, meter.Relay);
        Assert.Equal(500 - (48 * 1000), meter.CreditWh);

        var outputs = meter.Apply(Push(2, [], isProtected: false));
        Single<CommandApplied>(outputs);
        Assert.Equal(Local(4, 18), Single<RelayOpened>(outputs).At);
    }

    [Fact]
    public void The_pushed_rules_replace_the_friendly_hours_and_protection_and_leave_every_other_setting()
    {
        var before = new CreditPolicy
        {
            LowCreditWh = 700,
            EmergencyCreditWh = 0,
            FriendlyHours = new FriendlyHours([new FriendlyWindow(new LocalTime(20, 0), new LocalTime(6, 0))], [IsoDayOfWeek.Monday], [new LocalDate(2026, 3, 2)]),
            FriendlyDebtLimitWh = 50_000,
            IsProtected = true,
            ReconnectMode = ReconnectMode.AfterButtonPress,
            DisconnectOnTamper = false,
        };
        var meter = Constant(1000, 2_500, before);
        meter.Apply(Push(1, [new WeeklyFriendlyWindow(IsoDayOfWeek.Wednesday, Six, 60)], [new LocalDate(2026, 12, 25)]));

        // The nights, the whole Monday and Monday's holiday were the meter's own: gone, so zero at 20:30 cuts.
        Assert.Equal(Local(2, 20, 30), Single<RelayOpened>(meter.Advance(Local(3, 10))).At);
        var after = meter.Policy;
        Assert.Empty(after.FriendlyHours.DailyWindows);
        Assert.Empty(after.FriendlyHours.Days);
        Assert.Equal([new LocalDate(2026, 12, 25)], after.FriendlyHours.Holidays);
        Assert.Equal([new WeeklyFriendlyWindow(IsoDayOfWeek.Wednesday, Six, 60)], after.FriendlyHours.WeeklyWindows);
        Assert.False(after.IsProtected);
        Assert.Equal(("IN-UPPCL", 1), (after.PolicyCode, after.PolicyVersion));
        Assert.Equal(before with { FriendlyHours = after.FriendlyHours, IsProtected = false, PolicyCode = "IN-UPPCL", PolicyVersion = 1 }, after);
    }

    [Fact]
    public void A_policy_is_acknowledged_once_and_an_older_or_broken_one_is_refused_leaving_the_rules()
    {
        var meter = Constant(1000, 50_000);
        Assert.Equal(5, Single<CommandApplied>(meter.Apply(Push(5, [MondayNight]))).CommandId);
        Single<CommandDuplicate>(meter.Apply(Push(5, [MondayNight])));
        Assert.Equal(CommandRejection.Superseded, Single<CommandRejected>(meter.Apply(Push(4, [], isProtected: true))).Reason);
        Assert.Equal(CommandRejection.Superseded, Single<CommandRejected>(meter.Apply(new SetFriendlyHours(3, FriendlyHours.None))).Reason);
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(meter.Apply(Push(6, [MondayNight with { Minutes = 2881 }]))).Reason);
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(meter.Apply(Push(7, [MondayNight with { Day = IsoDayOfWeek.None }]))).Reason);
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(meter.Apply(Push(8, [MondayNight with { Minutes = 0 }]))).Reason);

        Assert.Equal([MondayNight], meter.Policy.FriendlyHours.WeeklyWindows);
        Assert.False(meter.Policy.IsProtected);
    }

    [Fact]
    public void Pushed_rules_are_kept_across_a_snapshot()
    {
        var meter = Constant(1000, 2_500);
        meter.Apply(Push(1, [MondayNight], [new LocalDate(2026, 3, 4)]));
        meter.Advance(Local(2, 19));

        var json = JsonSerializer.Serialize(meter.Snapshot(), MeterJson.Options);
        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(json, MeterJson.Options)!);

        Assert.Equal([MondayNight], restored.Policy.FriendlyHours.WeeklyWindows);
        Assert.Equal([new LocalDate(2026, 3, 4)], restored.Policy.FriendlyHours.Holidays);
        Assert.Equal(Local(3, 8), Single<RelayOpened>(restored.Advance(Local(3, 10))).At);
        Single<CommandDuplicate>(restored.Apply(Push(1, [MondayNight])));
    }

    [Fact]
    public void A_snapshot_from_before_weekly_windows_reads_as_having_none()
    {
        var json = JsonSerializer.Serialize(Constant(1000, 2_500).Snapshot(), MeterJson.Options);
        Assert.Contains("\"weeklyWindows\":[]", json, StringComparison.Ordinal);
        var old = json.Replace("\"weeklyWindows\":[],", "", StringComparison.Ordinal).Replace(",\"weeklyWindows\":[]", "", StringComparison.Ordinal);
        Assert.DoesNotContain("weeklyWindows", old, StringComparison.Ordinal);

        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(old, MeterJson.Options)!);
        Assert.Empty(restored.Policy.FriendlyHours.WeeklyWindows);
    }

    [Fact]
    public void The_command_round_trips_through_json()
    {
        var command = Push(9, [MondayNight], [new LocalDate(2027, 1, 26)], isProtected: true);
        var back = (SetCreditPolicy)JsonSerializer.Deserialize<MeterCommand>(JsonSerializer.Serialize<MeterCommand>(command, MeterJson.Options), MeterJson.Options)!;
        Assert.Equal((command.CommandId, command.PolicyCode, command.PolicyVersion, command.Protected), (back.CommandId, back.PolicyCode, back.PolicyVersion, back.Protected));
        Assert.Equal(command.FriendlyHours, back.FriendlyHours);
        Assert.Equal(command.Holidays, back.Holidays);
    }
}
