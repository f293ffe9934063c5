using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Each meter's commands are numbered by the database as they are queued, and the dispatcher sends a meter only its
/// lowest open command, signed: the meter never sees n + 1 before n.
/// </summary>
public abstract class CommandSequenceTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<List<MeterCommandRecord>> CommandsAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.AsNoTracking()
            .Where(c => c.MeterNumber == number).OrderBy(c => c.Seq).ToListAsync(Ct);
    }

    private async Task<MeterCommandRecord> QueueAsync(Guid meterId, string number, string reference, bool ownTransaction = true)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var tx = ownTransaction ? await db.BeginWriteAsync(Ct) : null;
        var command = CommandQueue.Enqueue(db, meterId, number, new Prepay.MeterLink.Commands.ReadNow(), server.Clock.GetCurrentInstant(), reference);
        await db.SaveChangesAsync(Ct);
        if (tx is not null)
        {
            await tx.CommitAsync(Ct);
            await tx.DisposeAsync();
        }
        return command;
    }

    [Fact]
    public async Task Commands_queued_at_once_for_one_meter_get_distinct_numbers_one_to_n_in_the_database_and_in_memory()
    {
        var s = await CreateAsync(server, mode: "smart");
        var meterId = await MeterIdAsync(s.MeterNumber);
        const int n = 24;
        var queued = await Task.WhenAll(Enumerable.Range(0, n).Select(i => Task.Run(() => QueueAsync(meterId, s.MeterNumber, $"race {i}", ownTransaction: i % 2 == 0), Ct)));

        var stored = await CommandsAsync(s.MeterNumber);
        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), stored.Select(c => c.Seq));
        Assert.Equal(stored.ToDictionary(c => c.Id, c => c.Seq), queued.ToDictionary(c => c.Id, c => c.Seq));
        await using var scope = server.Scope();
        var last = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters
            .Where(m => m.Id == meterId).Select(m => EF.Property<long>(m, "LastCommandSeq")).SingleAsync(Ct);
        Assert.Equal(n, last);
    }

    [Fact]
    public async Task Commands_saved_together_take_the_next_numbers_after_those_saved_before_and_each_meter_counts_alone()
    {
        var a = await CreateAsync(server, mode: "smart");
        var b = await CreateAsync(server, mode: "smart");
        var (idA, idB) = (await MeterIdAsync(a.MeterNumber), await MeterIdAsync(b.MeterNumber));
        await QueueAsync(idA, a.MeterNumber, "first");
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await using var tx = await db.BeginWriteAsync(Ct);
            var now = server.Clock.GetCurrentInstant();
            var second = CommandQueue.Enqueue(db, idA, a.MeterNumber, new Prepay.MeterLink.Commands.ReadNow(), now, "second");
            var third = CommandQueue.Enqueue(db, idA, a.MeterNumber, new Prepay.MeterLink.Commands.Disconnect(), now, "third");
            var other = CommandQueue.Enqueue(db, idB, b.MeterNumber, new Prepay.MeterLink.Commands.ReadNow(), now, "other");
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
            // Saved together, they take the next numbers in the order the insert writes them.
            Assert.Equal([2L, 3L], new[] { second.Seq, third.Seq }.Order());
            Assert.Equal(1L, other.Seq);
        }
        Assert.Equal("first", (await CommandsAsync(a.MeterNumber)).First().Reference);
    }

    [Fact]
    public async Task The_dispatcher_sends_a_meter_only_its_lowest_open_command_signed_and_the_next_after_its_acknowledgement()
    {
        var s = await CreateAsync(server, mode: "smart");
        var meterId = await MeterIdAsync(s.MeterNumber);
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber)));
        await meter.SubscribeAsync();
        var dispatcher = server.Services.GetRequiredService<CommandDispatcher>();
        var key = server.Services.GetRequiredService<CommandKeys>().KeyFor(s.MeterNumber);

        foreach (var reference in new[] { "one", "two", "three" })
        {
            await QueueAsync(meterId, s.MeterNumber, reference);
        }
        dispatcher.Wake();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(!meter.Commands.IsEmpty), "the first command arrives");
        var first = Assert.Single(meter.Commands);
        Assert.Equal(1, first.Seq);
        Assert.Equal(CommandSignature.Mac(key, CommandSignature.Bytes(s.MeterNumber, first)!), first.Mac);
        Assert.Equal([CommandState.Sent, CommandState.Queued, CommandState.Queued], (await CommandsAsync(s.MeterNumber)).Select(c => c.State));

        // Its retry is due and goes out; the next ones, due all along, wait behind it.
        server.Clock.Advance(Duration.FromMinutes(10));
        dispatcher.Wake();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 2), "the first command is sent again");
        Assert.All(meter.Commands, c => Assert.Equal(1, c.Seq));
        Assert.Equal([CommandState.Sent, CommandState.Queued, CommandState.Queued], (await CommandsAsync(s.MeterNumber)).Select(c => c.State));

        await meter.PublishAsync(Topics.Acks, new AckMessage(first.CommandId, "applied", null, server.Clock.GetCurrentInstant().ToDateTimeOffset()));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 3), "the second command follows the acknowledgement");
        Assert.Equal(2, meter.Commands.Last().Seq);
        Assert.Equal([CommandState.Acknowledged, CommandState.Sent, CommandState.Queued], (await CommandsAsync(s.MeterNumber)).Select(c => c.State));

        await meter.PublishAsync(Topics.Acks, new AckMessage(meter.Commands.Last().CommandId, "rejected", AckReasons.Replayed, server.Clock.GetCurrentInstant().ToDateTimeOffset()));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(meter.Commands.Count == 4), "a failed command lets the next one go too");
        Assert.Equal(3, meter.Commands.Last().Seq);
        Assert.Equal([CommandState.Acknowledged, CommandState.Failed, CommandState.Sent], (await CommandsAsync(s.MeterNumber)).Select(c => c.State));
    }
}

public sealed class CommandSequenceSqliteTests(SqliteServer server) : CommandSequenceTests(server), IClassFixture<SqliteServer>;

public sealed class CommandSequencePostgresTests(PostgresServer server) : CommandSequenceTests(server), IClassFixture<PostgresServer>;
