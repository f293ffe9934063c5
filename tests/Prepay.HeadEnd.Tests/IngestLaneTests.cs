using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Npgsql;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// Meters' messages are handled in lanes, a meter's in order and different meters' side by side, and statuses and
/// acknowledgements are written in batches: several statuses of a meter in one batch leave the row as writing them one
/// by one would, and an acknowledgement among them closes its command once.
/// </summary>
public abstract class IngestLaneTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StatusAndAckWriter Writer => server.Services.GetRequiredService<StatusAndAckWriter>();

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<MeterStatusRecord?> StatusAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterStatus.AsNoTracking().SingleOrDefaultAsync(s => s.MeterId == meterId, Ct);
    }

    private async Task<MeterCommandRecord> CommandAsync(Guid id)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.AsNoTracking().SingleAsync(c => c.Id == id, Ct);
    }

    private async Task<Guid> QueueReadNowAsync(Guid meterId, string number)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var command = CommandQueue.Enqueue(db, meterId, number, new Prepay.MeterLink.Commands.ReadNow(), server.Clock.GetCurrentInstant(), "lane test");
        await db.SaveChangesAsync(Ct);
        return command.Id;
    }

    private async Task<MeterPeer> ConnectedMeterAsync(string meterNumber)
    {
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var peer = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber)));
        return peer;
    }

    /// <summary>Holds the status writer's next transaction until disposed: the writers' queue on SQLite, the table's lock on PostgreSQL.</summary>
    private async Task<IAsyncDisposable> HoldStatusWritesAsync()
    {
        if (server.Provider == DatabaseProvider.Sqlite)
        {
            var scope = server.Scope();
            var tx = await scope.ServiceProvider.GetRequiredService<PrepayDb>().BeginWriteAsync(Ct);
            return new Release(async () => { await tx.DisposeAsync(); await scope.DisposeAsync(); });
        }
        var connection = new NpgsqlConnection(server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString());
        await connection.OpenAsync(Ct);
        var hold = await connection.BeginTransactionAsync(Ct);
        await using (var lockStatus = new NpgsqlCommand("LOCK TABLE meter_status IN EXCLUSIVE MODE", connection, hold))
        {
            await lockStatus.ExecuteNonQueryAsync(Ct);
        }
        return new Release(async () => { await hold.RollbackAsync(Ct); await connection.DisposeAsync(); });
    }

    private sealed class Release(Func<Task> release) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await release();
    }

    private static MeterStatus Status(bool online, string? relay, long? creditWh, long? energyWh, int? keyRevision = null, (long Minor, Instant At)? shown = null) =>
        new(online, relay, creditWh is { } c ? new Energy(c) : null, energyWh is { } e ? new Energy(e) : null, null, keyRevision)
        {
            DisplayedBalance = shown is { } s ? new DisplayedBalance(new Money(s.Minor, Currency.ZAR), s.At) : null,
        };

    [Fact]
    public async Task Statuses_of_a_meter_in_one_batch_are_merged_in_arrival_order_and_the_first_of_two_acknowledgements_closes_its_command()
    {
        var a = await CreateAsync(server, mode: "smart");
        var b = await CreateAsync(server, mode: "smart");
        var (idA, idB) = (await MeterIdAsync(a.MeterNumber), await MeterIdAsync(b.MeterNumber));
        var commandId = await QueueReadNowAsync(idA, a.MeterNumber);
        var handler = server.Services.GetRequiredService<MeterMessageHandler>();
        var shownAt = Instant.FromUtc(2026, 11, 23, 7, 0);

        List<Task> stored = [];
        await using (await HoldStatusWritesAsync())
        {
            // A batch under way, held: everything after it queues and forms the next batch together.
            var taken = Writer.BatchesTaken;
            stored.Add((await handler.IngestAsync(b.MeterNumber, Status(true, "connected", 1, 1), Ct)).Stored);
            await LoopHarness.EventuallyAsync(() => Task.FromResult(Writer.BatchesTaken > taken), "the writer has taken the first batch");

            async Task Ingest(string meter, MeterUplink uplink) => stored.Add((await handler.IngestAsync(meter, uplink, Ct)).Stored);
            await Ingest(a.MeterNumber, Status(true, "connected", 5_000, 1_000, keyRevision: 3, shown: (2_500, shownAt)));
            await Ingest(b.MeterNumber, Status(true, "disconnected", 7, null));
            await Ingest(a.MeterNumber, Status(false, null, 4_900, null));
            await Ingest(a.MeterNumber, new CommandAcknowledgement(commandId, AcknowledgementResult.Applied, null, shownAt));
            await Ingest(a.MeterNumber, new CommandAcknowledgement(commandId, AcknowledgementResult.Duplicate, null, shownAt));
            await Ingest(a.MeterNumber, Status(true, null, null, 1_010, shown: (2_400, shownAt + Duration.FromMinutes(1))));
            await Ingest(b.MeterNumber, Status(false, null, null, 9));
            Assert.DoesNotContain(stored, t => t.IsCompleted);
        }
        await Task.WhenAll(stored).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var statusA = await StatusAsync(idA);
        Assert.NotNull(statusA);
        Assert.True(statusA.Online);
        Assert.Equal("connected", statusA.Relay); // the later statuses' null relay keeps the first one's
        Assert.Equal(4_900, statusA.CreditWh);
        Assert.Equal(1_010, statusA.EnergyWh);
        Assert.Equal(3, statusA.KeyRevision);
        Assert.Equal((2_400L, "ZAR", shownAt + Duration.FromMinutes(1)),
            (statusA.DisplayedBalanceMinor!.Value, statusA.DisplayedBalanceCurrency!, statusA.DisplayedBalanceAt!.Value));
        var statusB = await StatusAsync(idB);
        Assert.Equal((false, "disconnected", 7L, 9L), (statusB!.Online, statusB.Relay, statusB.CreditWh!.Value, statusB.EnergyWh!.Value));
        var command = await CommandAsync(commandId);
        Assert.Equal((CommandState.Acknowledged, "applied"), (command.State, command.Outcome));
    }

    [Fact]
    public async Task A_burst_of_statuses_from_many_meters_keeps_each_meters_order_and_an_acknowledgement_in_it_is_recorded()
    {
        const int meters = 6, each = 5;
        var scenarios = new List<Scenario>();
        for (var i = 0; i < meters; i++)
        {
            scenarios.Add(await CreateAsync(server, mode: "smart"));
        }
        var ids = new List<Guid>();
        foreach (var s in scenarios)
        {
            ids.Add(await MeterIdAsync(s.MeterNumber));
        }
        var commandId = await QueueReadNowAsync(ids[0], scenarios[0].MeterNumber);
        var peers = new List<MeterPeer>();
        foreach (var s in scenarios)
        {
            peers.Add(await ConnectedMeterAsync(s.MeterNumber));
        }
        var settled = Writer.Settled;

        // Each meter publishes its statuses in order, all meters at once; the first one acknowledges between them.
        await Task.WhenAll(peers.Select((peer, m) => Task.Run(async () =>
        {
            for (var i = 1; i <= each; i++)
            {
                await peer.PublishAsync(Topics.Status, new StatusMessage(true, $"state-{i}", m * 100 + i, i == 3 ? null : 1_000 + i, null));
                if (m == 0 && i == 2)
                {
                    await peer.PublishAsync(Topics.Acks, new AckMessage(commandId, "applied", null, DateTimeOffset.UnixEpoch));
                }
            }
        }, Ct)));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(Writer.Settled - settled >= meters * each + 1), "every status and the acknowledgement are written");

        for (var m = 0; m < meters; m++)
        {
            var status = await StatusAsync(ids[m]);
            Assert.Equal(($"state-{each}", m * 100L + each, 1_000L + each), (status!.Relay, status.CreditWh!.Value, status.EnergyWh!.Value));
        }
        Assert.Equal(CommandState.Acknowledged, (await CommandAsync(commandId)).State);
        foreach (var peer in peers)
        {
            await peer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_meter_whose_message_waits_for_the_database_holds_back_its_own_later_messages_but_not_another_meters()
    {
        Assert.SkipWhen(server.Provider != DatabaseProvider.Postgres,
            "Holding one table locked from another connection needs PostgreSQL: SQLite's one writer would hold every meter back.");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        var a = await CreateAsync(server, mode: "smart");
        Scenario b;
        do
        {
            b = await CreateAsync(server, mode: "smart");
        }
        while (headEnd.LaneOf(b.MeterNumber) == headEnd.LaneOf(a.MeterNumber));
        var (idA, idB) = (await MeterIdAsync(a.MeterNumber), await MeterIdAsync(b.MeterNumber));
        await using var meterA = await ConnectedMeterAsync(a.MeterNumber);
        await using var meterB = await ConnectedMeterAsync(b.MeterNumber);

        await using var blocker = new NpgsqlConnection(server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString());
        await blocker.OpenAsync(Ct);
        await using var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE meter_events IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockEvents.ExecuteNonQueryAsync(Ct);
        }
        await meterA.PublishAsync(Topics.Events, new EventsMessage([new EventPayload(DateTimeOffset.Parse("2026-11-23T07:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "lowCredit", null)]));
        await meterA.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 1, 1, null));
        await meterB.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 2, 2, null));

        // B's status arrived after A's two messages and is stored while A's event waits for the lock.
        await LoopHarness.EventuallyAsync(async () => await StatusAsync(idB) is not null, "meter B's status is stored while meter A's lane waits");
        Assert.Null(await StatusAsync(idA));

        await hold.RollbackAsync(Ct);
        await LoopHarness.EventuallyAsync(async () => await StatusAsync(idA) is not null, "meter A's status follows its event once the lock goes");
        await using var scope = server.Scope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterEvents.AnyAsync(e => e.MeterId == idA, Ct));
    }
}

public sealed class IngestLaneSqliteTests(SqliteServer server) : IngestLaneTests(server), IClassFixture<SqliteServer>;

public sealed class IngestLanePostgresTests(PostgresServer server) : IngestLaneTests(server), IClassFixture<PostgresServer>;
