using System.Text.Json;
using Prepay.Meter.Commands;
using Prepay.Meter.Display;
using Prepay.Meter.Events;
using Prepay.Meter.Json;
using Prepay.Meter.Registers;
using Prepay.Meter.Snapshots;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Commands;

/// <summary>
/// A central balance on the meter's display (<see cref="ShowBalance"/>): shown as told, the newest winning, kept across
/// a restart, and touching nothing that decides supply.
/// </summary>
public sealed class ShowBalanceTests
{
    [Fact]
    public void The_meter_shows_the_balance_it_is_told_and_nothing_else_changes()
    {
        var meter = Constant(1000, 2_500);
        Assert.Null(meter.ShownBalance);
        var before = (meter.CreditWh, meter.Relay, meter.Policy);

        Single<CommandApplied>(meter.Apply(new ShowBalance(1, -1_250, "ZAR", MondayEvening)));

        Assert.Equal(new ShownBalance(-1_250, "ZAR", MondayEvening), meter.ShownBalance);
        Assert.Equal(new ShownBalance(-1_250, "ZAR", MondayEvening), meter.Display.Balance);
        Assert.Equal(before, (meter.CreditWh, meter.Relay, meter.Policy));
        Assert.Equal(RelayState.Connected, meter.Relay); // a negative balance shown cuts nothing: the server cuts, through its gate
    }

    [Fact]
    public void A_newer_balance_replaces_the_shown_one_and_an_older_one_arriving_late_is_superseded()
    {
        var meter = Constant(1000, 2_500);
        meter.Apply(new ShowBalance(5, 9_000, "ZAR", MondayEvening));
        Single<CommandApplied>(meter.Apply(new ShowBalance(7, 8_500, "ZAR", MondayEvening + NodaTime.Duration.FromMinutes(15))));

        Assert.Equal(CommandRejection.Superseded, Single<CommandRejected>(meter.Apply(new ShowBalance(6, 100, "ZAR", MondayEvening))).Reason);
        Assert.Equal(8_500, meter.ShownBalance!.Minor);
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(meter.Apply(new ShowBalance(8, 1, "rand", MondayEvening))).Reason);
        Assert.Equal(8_500, meter.ShownBalance!.Minor);
    }

    [Fact]
    public void The_shown_balance_survives_a_restart_and_an_old_snapshot_has_none()
    {
        var meter = Constant(1000, 2_500);
        meter.Apply(new ShowBalance(3, 4_200, "ZAR", MondayEvening));

        var restored = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(JsonSerializer.Serialize(meter.Snapshot(), MeterJson.Options), MeterJson.Options)!);
        Assert.Equal(new ShownBalance(4_200, "ZAR", MondayEvening), restored.ShownBalance);
        Assert.Equal(CommandRejection.Superseded, Single<CommandRejected>(restored.Apply(new ShowBalance(2, 1, "ZAR", MondayEvening))).Reason);

        // A snapshot written before meters showed balances reads as showing none.
        var json = JsonSerializer.Serialize(Constant(1000, 2_500).Snapshot(), MeterJson.Options);
        var old = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        old.Remove("balance");
        old.Remove("lastBalanceCommandId");
        var fromOld = PrepaidMeter.Restore(JsonSerializer.Deserialize<MeterSnapshot>(old.ToJsonString(), MeterJson.Options)!);
        Assert.Null(fromOld.ShownBalance);
        Single<CommandApplied>(fromOld.Apply(new ShowBalance(1, 1, "ZAR", MondayEvening)));
    }
}
