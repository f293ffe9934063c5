using System.Text.Json;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Json;
using Prepay.Meter.Load;
using Prepay.Meter.Registers;
using Prepay.Meter.Snapshots;
using Prepay.Sts.Meter;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Snapshots;

public sealed class SnapshotAndDeterminismTests
{
    private static readonly CreditPolicy Policy = new()
    {
        LowCreditWh = 3_000,
        EmergencyCreditWh = 2_000,
        FriendlyDebtLimitWh = 5_000,
        ReconnectMode = ReconnectMode.AfterButtonPress,
        FriendlyHours = new FriendlyHours(
            [new FriendlyWindow(new LocalTime(21, 0), new LocalTime(5, 30))],
            [IsoDayOfWeek.Sunday],
            [new LocalDate(2026, 3, 21)]),
    };

    // A week of a busy meter: tokens, commands, tamper, voltage, outage, button presses.
    private static List<MeterOutput> Script(PrepaidMeter meter, int fromDay, int toDay)
    {
        var outputs = new List<MeterOutput>();
        for (int day = fromDay; day < toDay; day++)
        {
            outputs.AddRange(meter.Tick(Duration.FromHours(7) + Duration.FromSeconds(day * 37)));
            outputs.AddRange(meter.EnterToken(CreditToken((uint)(1_000 + day), 40 + day)));
            outputs.AddRange(meter.Apply(day % 3 == 0 ? new AddCredit(day, 1_500) : new ReadNow(day)));
            outputs.AddRange(meter.Apply(new AddCredit(day - 1, 1_500)));
            outputs.AddRange(meter.Tick(Duration.FromHours(9)));
            outputs.AddRange(day % 4 == 1 ? meter.SetSupplyVoltage(2_600) : meter.SetSupplyVoltage(null));
            outputs.AddRange(day == 3 ? meter.OpenCover() : meter.Apply(new ClearTamper(100 + day)));
            outputs.AddRange(meter.PressButton());
            outputs.AddRange(meter.CutPower());
            outputs.AddRange(meter.Tick(Duration.FromMinutes(45)));
            outputs.AddRange(meter.RestorePower());
            outputs.AddRange(meter.Advance(meter.Now + Duration.FromHours(24 - 16.75) - Duration.FromSeconds(day * 37)));
        }

        return outputs;
    }

    private static PrepaidMeter NewMeter(long seed = 7) => new(Configuration(4_000, Policy, LoadShape.Residential, seed));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, MeterJson.Options);

    [Fact]
    public void Same_seed_and_same_inputs_give_the_same_outputs()
    {
        var a = Script(NewMeter(), 0, 7);
        var b = Script(NewMeter(), 0, 7);
        Assert.True(a.Count > 700);
        Assert.Equal(Json(a), Json(b));
    }

    [Fact]
    public void Another_seed_gives_other_readings()
    {
        Assert.NotEqual(Json(Script(NewMeter(7), 0, 2)), Json(Script(NewMeter(8), 0, 2)));
    }

    [Fact]
    public void Script_exercises_the_policies_it_claims_to()
    {
        var outputs = Script(NewMeter(), 0, 7);
        Assert.Contains(outputs, o => o is TokenAccepted);
        Assert.Contains(outputs, o => o is CommandDuplicate);
        Assert.Contains(outputs, o => o is LowCredit);
        Assert.Contains(outputs, o => o is CoverOpen);
        Assert.Contains(outputs, o => o is OverVoltage);
        Assert.Contains(outputs, o => o is PowerRestored);
        Assert.Contains(outputs, o => o is RelayOpened);
    }

    [Fact]
    public void Restored_snapshot_continues_exactly_like_the_original()
    {
        var original = NewMeter();
        Script(original, 0, 3);
        string json = Json(original.Snapshot());
        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(json, MeterJson.Options)!);

        Assert.Equal(json, Json(restored.Snapshot()));
        Assert.Equal(Json(Script(original, 3, 7)), Json(Script(restored, 3, 7)));
        Assert.Equal(Json(original.Snapshot()), Json(restored.Snapshot()));
        Assert.Equal(Json(original.Display), Json(restored.Display));
    }

    [Fact]
    public void Restored_meter_remembers_used_tokens_and_applied_commands()
    {
        var meter = Constant(1000, 1_000);
        string token = CreditToken(9_000, 10);
        meter.EnterToken(token);
        meter.Apply(new AddCredit(5, 100));
        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(Json(meter.Snapshot()), MeterJson.Options)!);

        Assert.Equal(KeypadResult.Used, Single<TokenRejected>(restored.EnterToken(token)).Result);
        Single<CommandDuplicate>(restored.Apply(new AddCredit(5, 100)));
        Assert.Equal(2_100, restored.CreditWh);
    }

    [Fact]
    public void Every_output_kind_round_trips_through_json()
    {
        var at = Local(2, 18);
        MeterOutput[] outputs =
        [
            new LowCredit(at, 1, 2), new CreditExhausted(at, -1), new EmergencyCreditActivated(at, 3), new RelayOpened(at, DisconnectReasons.Tamper),
            new RelayClosed(at), new CoverOpen(at), new MagneticTamper(at), new TamperCleared(at), new OverVoltage(at, 2_600), new UnderVoltage(at, 1_900),
            new Overload(at, 5_000, 4_000), new PowerOutage(at), new PowerRestored(at), new TokenAccepted(at, "Credit 10 units.", 1_000, 900),
            new TokenRejected(at, KeypadResult.Old, "Old."), new Reading(at + Duration.FromTicks(1), ReadingKind.Interval, 10, 2, 3, 2_300, 4_347, 1_000),
            new CommandApplied(at, 1, "AddCredit"), new CommandDuplicate(at, 2, true), new CommandRejected(at, 3, CommandRejection.Stale, "old"),
        ];
        string json = Json(outputs);
        var back = JsonSerializer.Deserialize<MeterOutput[]>(json, MeterJson.Options)!;
        Assert.Equal(outputs, back);
        Assert.Contains("\"type\":\"lowCredit\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_command_kind_round_trips_through_json()
    {
        MeterCommand[] commands =
        [
            new AddCredit(1, 5_000), new Connect(2), new Disconnect(3), new SetThresholds(4, 1_000, 2_000), new ReadNow(5), new ClearTamper(6),
        ];
        var back = JsonSerializer.Deserialize<MeterCommand[]>(Json(commands), MeterJson.Options)!;
        Assert.Equal(commands, back);

        var friendly = new SetFriendlyHours(7, Policy.FriendlyHours);
        var friendlyBack = (SetFriendlyHours)JsonSerializer.Deserialize<MeterCommand>(Json<MeterCommand>(friendly), MeterJson.Options)!;
        Assert.Equal(friendly.Hours.DailyWindows, friendlyBack.Hours.DailyWindows);
        Assert.Equal(friendly.Hours.Days, friendlyBack.Hours.Days);
        Assert.Equal(friendly.Hours.Holidays, friendlyBack.Hours.Holidays);
    }
}
