using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using Prepay.Testing.Fuzz;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Fuzz;

/// <summary>
/// Seeded random and mutated payloads, published by an authenticated meter to its own topics through the real
/// broker: whatever arrives, nothing escapes the head-end (no error in its log), a payload the protocol refuses
/// writes nothing, and the head-end goes on serving. Each case is followed by a good event from the same
/// connection, whose arrival says the case was handled (a meter's messages are handled in order).
/// </summary>
public abstract class MeterMessageFuzzTests(ServerFixture server)
{
    private const string Project = "tests/Prepay.HeadEnd.Tests";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly ConcurrentDictionary<string, TaskCompletionSource> _sentinels = new(StringComparer.Ordinal);

    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A valid message of each kind, numbered by case so that valid ones do not merely repeat each other.</summary>
    private static (string Kind, JsonNode Valid) Template(Random rng, int i, Guid commandId) => rng.Next(4) switch
    {
        0 => (Topics.Readings, JsonNode.Parse($$"""
            {"readings":[{"at":"{{Start.AddMinutes(15 * i):O}}","energyWh":{{1000 + i}},"deltaWh":250,"creditWh":40000,"voltageDv":2301,"currentMa":5420,"powerW":1247},
                         {"at":"{{Start.AddMinutes(15 * i + 5):O}}","energyWh":{{1001 + i}},"deltaWh":1,"creditWh":-300,"voltageDv":0,"currentMa":0,"powerW":0}]}
            """)!),
        1 => (Topics.Events, JsonNode.Parse($$"""
            {"events":[{"at":"{{Start.AddMinutes(i):O}}","type":"lowCredit","details":"credit 4.0 kWh"},{"at":"{{Start.AddMinutes(i):O}}","type":"tamper","details":null}]}
            """)!),
        2 => (Topics.Acks, JsonNode.Parse($$"""
            {"commandId":"{{commandId}}","result":"rejected","reason":"invalid-args","at":"2026-11-23T08:20:01Z"}
            """)!),
        _ => (Topics.Status, JsonNode.Parse("""
            {"online":true,"relay":"connected","creditWh":40000,"energyWh":1250400,"at":"2026-11-23T08:15:00+02:00","keyRevision":1}
            """)!),
    };

    [Fact]
    public async Task Mutated_meter_messages_write_nothing_they_should_not_log_no_error_and_leave_the_head_end_serving()
    {
        var run = FuzzRun.FromEnvironment(defaultCount: 100);
        var refused = await CreateAsync(server, mode: "smart");
        var accepted = await CreateAsync(server, mode: "smart");
        var handler = server.Services.GetRequiredService<MeterMessageHandler>();
        handler.EventsStored += OnEventsStored;
        try
        {
            var refusedCommand = await QueueReadNowAsync(refused.MeterNumber);
            var acceptedCommand = await QueueReadNowAsync(accepted.MeterNumber);
            await using var refusing = await ConnectedAsync(refused.MeterNumber);
            await using var accepting = await ConnectedAsync(accepted.MeterNumber);
            var readingsCases = new List<string>();
            for (var i = 0; i < run.Count; i++)
            {
                var rng = run.CaseRandom(i);
                var (kind, valid) = Template(rng, i, Guid.Empty);
                var mutant = JsonMutations.Mutate(rng, valid);
                var mayWrite = MeterMessageSpec.MayWrite(kind, mutant.Bytes, server.Clock.GetCurrentInstant());
                // What the protocol refuses goes to one meter, whose rows must stay empty; the rest to the other.
                var (meter, peer, command) = mayWrite ? (accepted, accepting, acceptedCommand) : (refused, refusing, refusedCommand);
                if (kind == Topics.Acks)
                {
                    // In the bytes, not through text: a broken UTF-8 sequence must reach the head-end as it was judged.
                    var bytes = mutant.Bytes.ToArray();
                    var (from, to) = (Encoding.UTF8.GetBytes(Guid.Empty.ToString()), Encoding.UTF8.GetBytes(command.ToString()));
                    for (var at = bytes.AsSpan().IndexOf(from); at >= 0; at = bytes.AsSpan().IndexOf(from))
                    {
                        to.CopyTo(bytes, at);
                    }
                    mutant = new Mutant(mutant.Description, bytes);
                }
                var why = $"case {i} ({kind}, {mutant.Description}): {mutant.Preview()}{Environment.NewLine}replay it alone: {run.ReplayCommand(i, Project, GetType().Name)}";
                if (!mayWrite && kind == Topics.Readings)
                {
                    readingsCases.Add(why);
                }
                var mark = server.Logs.Mark();
                await peer.PublishToAsync(Topics.For(meter.MeterNumber, kind), mutant.Bytes);
                await SentinelAsync(peer, meter.MeterNumber, $"fuzz-{i}", why);
                server.Logs.AssertNoErrorsSince(mark, why);
                if (!mayWrite)
                {
                    // Readings go through a queue and may show up later: they are counted again at the end.
                    var written = await WrittenForAsync(refused.MeterNumber, refusedCommand);
                    Assert.True(written == (0, 0, false, false), $"a refused payload was written: {written}{Environment.NewLine}{why}");
                }
            }
            // Readings are written by a queue behind the handler: a good reading, once stored, says every reading
            // accepted before it is stored too.
            var good = new ReadingsMessage([new ReadingPayload(Start.AddDays(-1), 0, 0, 0, 0, 0, 0)]);
            await refusing.PublishAsync(Topics.Readings, good);
            var stored = await EventuallyAsync(db => ReadingsOfAsync(db, refused.MeterNumber), r => r.Count > 0);
            Assert.True(stored.Count == 1 && stored[0].At == NodaTime.Instant.FromDateTimeOffset(Start.AddDays(-1)),
                $"readings stored for the meter that sent only refused payloads: {string.Join(", ", stored.Select(r => $"{r.At} {r.EnergyWh} Wh"))}{Environment.NewLine}"
                + string.Join(Environment.NewLine, readingsCases));
            await server.Services.GetRequiredService<RejectionCounter>().FlushAsync(Ct);
            server.Logs.AssertNoErrorsSince(0, "replay the run: " + run.ReplayCommand(Project, GetType().Name));
        }
        finally
        {
            handler.EventsStored -= OnEventsStored;
        }
    }

    private void OnEventsStored(Guid meterId, string meterNumber, IReadOnlyList<Prepay.MeterLink.Uplinks.MeterEvent> events)
    {
        foreach (var e in events)
        {
            if (_sentinels.TryGetValue(e.Type, out var done))
            {
                done.TrySetResult();
            }
        }
    }

    private async Task SentinelAsync(MeterPeer peer, string meterNumber, string type, string why)
    {
        var done = _sentinels.GetOrAdd(type, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await peer.PublishAsync(Topics.Events, new EventsMessage([new EventPayload(Start.AddHours(-1), type, null)]));
        try
        {
            // A failing handler is retried for about six seconds before it gives up: wait past that.
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the head-end did not handle a good event from meter {meterNumber} after {why}{Environment.NewLine}{string.Join(Environment.NewLine, server.Logs.Errors)}");
        }
    }

    private async Task<(int Readings, int Events, bool Status, bool CommandChanged)> WrittenForAsync(string meterNumber, Guid command)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var id = await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => m.Id).SingleAsync(Ct);
        var readings = await db.Readings.CountAsync(r => r.MeterId == id, Ct);
        var events = await db.MeterEvents.CountAsync(e => e.MeterId == id && !EF.Functions.Like(e.Type, "fuzz-%"), Ct);
        var status = await db.MeterStatus.AnyAsync(s => s.MeterId == id, Ct);
        var changed = await db.MeterCommands.AnyAsync(c => c.Id == command && (c.Outcome != null || c.AcknowledgedAt != null), Ct);
        return (readings, events, status, changed);
    }

    private static Task<List<IntervalReading>> ReadingsOfAsync(PrepayDb db, string meterNumber) =>
        db.Readings.AsNoTracking().Where(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == meterNumber).Id).ToListAsync();

    private async Task<Guid> QueueReadNowAsync(string meterNumber)
    {
        using var admin = server.Client();
        var created = await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{meterNumber}/commands", new { type = "readNow", reason = "fuzz" }, Ct));
        return created["id"]!.GetValue<Guid>();
    }

    private async Task<MeterPeer> ConnectedAsync(string meterNumber)
    {
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var peer = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber)));
        return peer;
    }

    private async Task<T> EventuallyAsync<T>(Func<PrepayDb, Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            await using var scope = server.Scope();
            var value = await read(scope.ServiceProvider.GetRequiredService<PrepayDb>());
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }
            await Task.Delay(20, Ct);
        }
    }
}

public sealed class MeterMessageFuzzSqliteTests(SqliteServer server) : MeterMessageFuzzTests(server), IClassFixture<SqliteServer>;

public sealed class MeterMessageFuzzPostgresTests(PostgresServer server) : MeterMessageFuzzTests(server), IClassFixture<PostgresServer>;
