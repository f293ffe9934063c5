using CsCheck;
using NodaTime;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using static Prepay.Meter.Tests.TestMeters;

namespace Prepay.Meter.Tests.Commands;

public sealed class CommandTests
{
    [Fact]
    public void Duplicated_add_credit_is_applied_once_and_acknowledged_as_duplicate()
    {
        var meter = Constant(1000, 1_000);
        Single<CommandApplied>(meter.Apply(new AddCredit(7, 500)));
        var again = Single<CommandDuplicate>(meter.Apply(new AddCredit(7, 500)));
        Assert.True(again.WasApplied);
        Assert.Equal(1_500, meter.CreditWh);
    }

    [Fact]
    public void Every_command_gets_exactly_one_acknowledgement()
    {
        var meter = Constant(1000, 1_000);
        MeterCommand[] commands =
        [
            new AddCredit(1, 10), new Connect(2), new Disconnect(3), new SetThresholds(4, 100, 0),
            new ReadNow(5), new SetFriendlyHours(6, FriendlyHours.None), new ClearTamper(7), new AddCredit(8, -5),
        ];
        foreach (var command in commands)
        {
            var ack = Assert.Single(meter.Apply(command).OfType<CommandAck>());
            Assert.Equal(command.CommandId, ack.CommandId);
        }
    }

    [Fact]
    public void Random_sequences_with_duplicates_and_reordering_add_each_distinct_credit_once()
    {
        Gen.Int[1, 60].Array[1, 150].Sample(ids =>
        {
            var meter = Constant(1000, 0);
            foreach (int id in ids)
            {
                meter.Apply(id % 4 == 0 ? new ReadNow(id) : new AddCredit(id, id * 7L));
            }

            long expected = ids.Distinct().Where(id => id % 4 != 0).Sum(id => id * 7L);
            return meter.CreditWh == expected;
        });
    }

    [Fact]
    public void Late_older_connect_does_not_undo_a_newer_disconnect()
    {
        var meter = Constant(1000, 10_000);
        meter.Apply(new Disconnect(11));
        var late = Single<CommandRejected>(meter.Apply(new Connect(10)));
        Assert.Equal(CommandRejection.Superseded, late.Reason);
        Assert.Equal(RelayState.Disconnected, meter.Relay);
    }

    [Fact]
    public void Ids_below_the_bounded_memory_are_refused_as_stale_not_reapplied()
    {
        var meter = Constant(1000, 0);
        for (long id = 1; id <= CommandLog.Capacity + 10; id++)
        {
            meter.Apply(new AddCredit(id, 1));
        }

        long credit = meter.CreditWh;
        Assert.Equal(CommandRejection.Stale, Single<CommandRejected>(meter.Apply(new AddCredit(3, 1))).Reason);
        Assert.Equal(credit, meter.CreditWh);
        Single<CommandDuplicate>(meter.Apply(new AddCredit(CommandLog.Capacity + 10, 1)));
    }

    [Fact]
    public void Invalid_thresholds_are_rejected_and_valid_ones_applied()
    {
        var meter = Constant(1000, 10_000);
        Assert.Equal(CommandRejection.Invalid, Single<CommandRejected>(meter.Apply(new SetThresholds(1, -1, 0))).Reason);
        Single<CommandApplied>(meter.Apply(new SetThresholds(2, 9_990, 3_000)));
        Assert.Equal(9_990, meter.Policy.LowCreditWh);
        Assert.Equal(3_000, meter.Policy.EmergencyCreditWh);
        Assert.Equal(meter.Now + Duration.FromSeconds(36), Single<LowCredit>(meter.Tick(Duration.FromMinutes(1))).At);
    }

    [Fact]
    public void Read_now_emits_an_on_demand_reading_at_once()
    {
        var meter = Constant(1200, 10_000);
        meter.Tick(Duration.FromMinutes(10));
        var reading = Single<Reading>(meter.Apply(new ReadNow(1)));
        Assert.Equal(ReadingKind.OnDemand, reading.Kind);
        Assert.Equal(200, reading.EnergyWh);
        Assert.Equal(1200, reading.ActivePowerWatts);
        Assert.Equal(meter.Now, reading.At);
    }

    [Fact]
    public void Friendly_hours_set_by_command_keep_the_supply_on()
    {
        var meter = Constant(1000, 500);
        var nights = new FriendlyHours([new FriendlyWindow(new LocalTime(18, 0), new LocalTime(6, 0))], [], []);
        Single<CommandApplied>(meter.Apply(new SetFriendlyHours(1, nights)));
        Assert.Equal(Local(3, 6), Single<RelayOpened>(meter.Advance(Local(3, 7))).At);
    }

    [Fact]
    public void Commands_during_a_power_outage_are_not_heard_and_apply_when_retried_after_restore()
    {
        var meter = Constant(1000, 500);
        meter.CutPower();
        Assert.Empty(meter.Apply(new AddCredit(1, 100)));
        meter.RestorePower();
        Single<CommandApplied>(meter.Apply(new AddCredit(1, 100)));
        Assert.Equal(600, meter.CreditWh);
    }
}
