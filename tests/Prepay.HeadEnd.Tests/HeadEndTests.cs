using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Presence;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>The head-end over real MQTT on loopback: the embedded broker, its ACL, ingestion, commands.</summary>
public abstract class HeadEndTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private int Port => server.Services.GetRequiredService<MqttHeadEnd>().BrokerPort;

    private string PasswordFor(string meter) => server.Services.GetRequiredService<MeterCredentials>().PasswordFor(meter);

    private async Task<MeterPeer> ConnectedMeterAsync(string meterNumber)
    {
        await server.Services.GetRequiredService<MqttHeadEnd>().Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var peer = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(Port, PasswordFor(meterNumber)));
        return peer;
    }

    private static ReadingPayload Reading(int minutes, long energyWh) =>
        new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes), energyWh, 250, 40_000, 2300, 1100, 253);

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
            await Task.Delay(50, Ct);
        }
    }

    private async Task<long> RejectionsAsync(string meter, string reason)
    {
        await server.Services.GetRequiredService<RejectionCounter>().FlushAsync(Ct);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.PayloadRejections.Where(r => r.MeterNumber == meter && r.Reason == reason).Select(r => r.Count).FirstOrDefaultAsync(Ct);
    }

    [Fact]
    public async Task Readings_events_and_status_from_a_meter_are_stored_and_a_repeated_reading_is_stored_once()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([Reading(15, 1000), Reading(30, 1250), Reading(45, 1500)]));
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([Reading(45, 1500), Reading(60, 1750)]));
        await meter.PublishAsync(Topics.Events, new EventsMessage([new EventPayload(DateTimeOffset.Parse("2026-11-23T00:50:00Z", System.Globalization.CultureInfo.InvariantCulture), "lowCredit", "credit 4.0 kWh")]));
        await meter.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 40_000, 1750, null));

        var readings = await EventuallyAsync(db => db.Readings.CountAsync(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == s.MeterNumber).Id, Ct), n => n >= 4);
        Assert.Equal(4, readings);
        using var admin = server.Client();
        var status = await EventuallyAsync(async _ => await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/status", Ct)), j => j["online"]!.GetValue<bool>());
        Assert.Equal("connected", status["relay"]!.GetValue<string>());
        var events = (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/events", Ct))).AsArray();
        Assert.Equal("lowCredit", events.Single()!["type"]!.GetValue<string>());
        var api = (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/readings?from=2026-11-23T00:20:00Z", Ct))).AsArray();
        Assert.Equal([1250L, 1500L, 1750L], api.Select(r => r!["energyWh"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_meter_with_a_wrong_password_or_someone_elses_client_id_cannot_connect()
    {
        var s = await CreateAsync(server, mode: "smart");
        await server.Services.GetRequiredService<MqttHeadEnd>().Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var wrong = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await wrong.ConnectAsync(Port, "not-the-password"));
        await using var impostor = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, await impostor.ConnectAsync(Port, PasswordFor(s.MeterNumber), clientId: "someone-else"));
    }

    [Fact]
    public async Task A_meter_publishing_under_another_meters_topic_is_refused_counted_and_nothing_is_written()
    {
        var a = await CreateAsync(server, mode: "smart");
        var b = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(a.MeterNumber);
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([Reading(15, 99)]), asMeter: b.MeterNumber);
        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync(Topics.For(b.MeterNumber, Topics.Commands)));
        Assert.Equal(1, await RejectionsAsync(a.MeterNumber, "foreign-topic"));
        Assert.Equal(1, await RejectionsAsync(a.MeterNumber, "foreign-subscription"));
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var bId = await db.Meters.Where(m => m.MeterNumber == b.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        Assert.Equal(0, await db.Readings.CountAsync(r => r.MeterId == bId, Ct));
    }

    [Fact]
    public async Task A_second_connection_with_a_meters_client_id_is_still_held_to_that_meters_topics()
    {
        // A session takeover (also what a meter's reconnect looks like before the broker notices the old link died):
        // the broker closes the first connection after accepting the second. The second must still be that meter.
        var a = await CreateAsync(server, mode: "smart");
        var b = await CreateAsync(server, mode: "smart");
        await using var first = await ConnectedMeterAsync(a.MeterNumber);
        await using var second = await ConnectedMeterAsync(a.MeterNumber);
        await first.Disconnected.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, await second.SubscribeAsync("#"));
        var forged = Encoding.UTF8.GetBytes($$"""{"commandId":"{{Guid.NewGuid()}}","type":"addCredit","args":{"energyWh":1000000},"issuedAt":"2026-11-23T08:00:00Z","expiresAt":"2026-11-30T08:00:00Z"}""");
        Assert.NotEqual(MqttClientPublishReasonCode.Success, await second.PublishToAsync(Topics.For(b.MeterNumber, Topics.Commands), forged));
        Assert.Equal(1, await RejectionsAsync(a.MeterNumber, "foreign-subscription"));
        Assert.Equal(1, await RejectionsAsync(a.MeterNumber, "foreign-topic"));
        // Its own topics still work.
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await second.SubscribeAsync());
    }

    public static TheoryData<string, string, string> BadPayloads => new()
    {
        { Topics.Readings, """{"readings":[{"at":"2026-11-23T00:15:00Z","energyWh":1""", "malformed" },
        { Topics.Readings, """{"readings":[{"at":"2026-11-23T00:15:00Z","energyWh":"1000","deltaWh":1,"creditWh":1,"voltageDv":1,"currentMa":1,"powerW":1}]}""", "malformed" },
        { Topics.Readings, """{"readings":[{"at":"2026-11-23T00:15:00Z","energyWh":1000,"deltaWh":1,"creditWh":1,"voltageDv":1,"currentMa":1,"powerW":1,"extra":1}]}""", "malformed" },
        { Topics.Readings, """{"readings":[{"at":"2026-11-23T00:15:00Z","energyWh":-5,"deltaWh":1,"creditWh":1,"voltageDv":1,"currentMa":1,"powerW":1}]}""", "invalid-reading" },
        { Topics.Acks, """{"commandId":"00000000-0000-0000-0000-000000000001","result":"maybe","at":"2026-11-23T00:15:00Z"}""", "out-of-schema" },
        { Topics.Events, """{"events":null}""", "out-of-schema" },
        // A required member left out would be read as 0 or year 1 and stored; a member twice is a parser's guess.
        { Topics.Readings, """{"readings":[{"energyWh":1000,"deltaWh":1,"creditWh":1,"voltageDv":1,"currentMa":1,"powerW":1}]}""", "malformed" },
        { Topics.Readings, """{"readings":[{"at":"2026-11-23T00:15:00Z","energyWh":1000,"energyWh":5,"deltaWh":1,"creditWh":1,"voltageDv":1,"currentMa":1,"powerW":1}]}""", "malformed" },
        { Topics.Status, """{"relay":"connected"}""", "malformed" },
        { Topics.Readings, """{"readings":[null]}""", "out-of-schema" },
        { Topics.Events, """{"events":[null]}""", "out-of-schema" },
        // PostgreSQL's text cannot hold NUL, which JSON can carry.
        { Topics.Events, """{"events":[{"at":"2026-11-23T00:15:00Z","type":"low\u0000credit"}]}""", "invalid-event" },
        { Topics.Status, """{"online":true,"relay":"on\u0000"}""", "out-of-schema" },
        { Topics.Acks, """{"commandId":"00000000-0000-0000-0000-000000000001","result":"rejected","reason":"x\u0000","at":"2026-11-23T00:15:00Z"}""", "out-of-schema" },
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public async Task Bad_payloads_are_refused_and_counted_per_meter_and_the_head_end_stays_up(string kind, string payload, string reason)
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        await meter.PublishRawAsync(kind, Encoding.UTF8.GetBytes(payload));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await RejectionsAsync(s.MeterNumber, reason) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Equal(1, await RejectionsAsync(s.MeterNumber, reason));
        // Still serving: a good reading from the same meter is stored.
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([Reading(15, 1000)]));
        var count = await EventuallyAsync(db => db.Readings.CountAsync(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == s.MeterNumber).Id, Ct), n => n == 1);
        Assert.Equal(1, count);
    }

    [Fact]
    public async Task Refusals_under_a_name_the_database_cannot_hold_are_still_counted()
    {
        // A refused connection's user name is counted as it came, and MQTT lets it carry NUL and broken text.
        var counter = server.Services.GetRequiredService<RejectionCounter>();
        var name = "nul\0" + Guid.NewGuid().ToString("N")[..8] + new string('x', 51) + "\ud83d\ude00";
        counter.Count(name, "bad-credentials");
        await counter.FlushAsync(Ct);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var stored = name.Replace('\0', '\uFFFD')[..63] + "\uFFFD";
        Assert.Equal(1, await db.PayloadRejections.Where(r => r.MeterNumber == stored && r.Reason == "bad-credentials").Select(r => r.Count).SingleAsync(Ct));
    }

    [Fact]
    public async Task A_payload_that_is_not_valid_utf8_is_refused_as_malformed()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        // An overlong encoding of '/' inside a string: not UTF-8, whatever a lenient reader makes of it.
        byte[] payload = [.. Encoding.UTF8.GetBytes("""{"events":[{"at":"2026-11-23T00:15:00Z","type":"low"""), 0xC0, 0xAF, .. Encoding.UTF8.GetBytes("""credit"}]}""")];
        await meter.PublishRawAsync(Topics.Events, payload);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await RejectionsAsync(s.MeterNumber, "malformed") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Equal(1, await RejectionsAsync(s.MeterNumber, "malformed"));
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.False(await db.MeterEvents.AnyAsync(e => e.MeterId == db.Meters.Single(m => m.MeterNumber == s.MeterNumber).Id, Ct));
    }

    [Fact]
    public async Task A_huge_payload_is_refused_by_the_broker_and_counted()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        await meter.PublishRawAsync(Topics.Readings, new byte[200_000]);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await RejectionsAsync(s.MeterNumber, "too-large") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, Ct);
        }
        Assert.Equal(1, await RejectionsAsync(s.MeterNumber, "too-large"));
    }

    [Fact]
    public async Task A_register_running_backwards_is_stored_as_suspect_under_its_rule_while_the_rest_of_the_batch_is_valid()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        await meter.PublishAsync(Topics.Readings, new ReadingsMessage([Reading(15, 1000), Reading(30, 900), Reading(45, 1200)]));
        var rows = await EventuallyAsync(db => db.Readings.Where(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == s.MeterNumber).Id)
            .OrderBy(r => r.At).Select(r => r.Quality + "/" + r.QualityRule).ToListAsync(Ct), n => n.Count == 3);
        Assert.Equal(["valid/", "suspect/roll-back", "valid/"], rows);
    }

    [Fact]
    public async Task The_bulk_writer_stores_each_reading_once_whether_it_copies_straight_or_the_careful_way()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meterId = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        var start = Instant.FromUtc(2026, 11, 23, 0, 0);
        IntervalReading At(int quarter) => new() { MeterId = meterId, At = start + Duration.FromMinutes(15 * quarter), EnergyWh = 1000 + quarter, DeltaWh = 1 };
        var ours = new LatestStored();

        // A meter not seen before: the careful way. Then later readings straight, with a repeat of a stored one and
        // a reading twice in the same batch, which must not break the straight copy.
        Assert.Equal(3, await ReadingWriter.WriteAsync(db, [At(1), At(2), At(3)], ours, Ct));
        Assert.Equal(2, await ReadingWriter.WriteAsync(db, [At(5), At(3), At(4), At(5)], ours, Ct));
        // Another node stores a reading this one believes new: the straight copy meets it, and the batch is stored
        // the careful way instead, its new reading once.
        Assert.Equal(1, await ReadingWriter.WriteAsync(db, [At(6)], new LatestStored(), Ct));
        Assert.Equal(1, await ReadingWriter.WriteAsync(db, [At(7), At(6)], ours, Ct));

        var stored = await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId).OrderBy(r => r.At).Select(r => r.EnergyWh).ToListAsync(Ct);
        Assert.Equal([1001L, 1002, 1003, 1004, 1005, 1006, 1007], stored);
    }

    [Fact]
    public async Task An_operator_command_is_delivered_to_the_meter_and_its_acknowledgement_recorded_once()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync());
        using var admin = server.Client();
        var created = await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/commands", new { type = "disconnect", reason = "tamper investigation" }, Ct));
        var id = created["id"]!.GetValue<Guid>();
        Assert.Equal("queued", created["state"]!.GetValue<string>());

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!meter.Commands.Any(c => c.CommandId == id) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        var command = Assert.Single(meter.Commands, c => c.CommandId == id);
        Assert.Equal("disconnect", command.Type);

        await meter.PublishAsync(Topics.Acks, new AckMessage(id, "applied", null, DateTimeOffset.UnixEpoch));
        await meter.PublishAsync(Topics.Acks, new AckMessage(id, "duplicate", null, DateTimeOffset.UnixEpoch));
        var listed = await EventuallyAsync(async _ => (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/commands", Ct))).AsArray(),
            a => a.Any(c => c!["state"]!.GetValue<string>() == "acknowledged"));
        var row = listed.Single(c => c!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal("acknowledged", row["state"]!.GetValue<string>());
        Assert.Equal("applied", row["outcome"]!.GetValue<string>());

        var bad = await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/commands", new { type = "addCredit", reason = "free money" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_smart_meter_vend_queues_its_credit_as_a_command_that_reaches_the_meter()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using var meter = await ConnectedMeterAsync(s.MeterNumber);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await meter.SubscribeAsync());
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (meter.Commands.IsEmpty && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }
        var command = Assert.Single(meter.Commands);
        Assert.Equal(CommandTypes.AddCredit, command.Type);
        Assert.Equal(vend["energyWh"]!.GetValue<long>(), command.Args!.Value.GetProperty("energyWh").GetInt64());
        Assert.Equal(10_000, command.Args!.Value.GetProperty("energyWh").GetInt64());

        using var admin = server.Client();
        var row = (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/commands", Ct))).AsArray().Single()!;
        Assert.Equal($"vend {vend["id"]!.GetValue<Guid>():N}", row["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_token_meter_vend_queues_no_command()
    {
        var s = await CreateAsync(server, mode: "token");
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        using var admin = server.Client();
        Assert.Empty((await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/commands", Ct))).AsArray());
    }

    [Fact]
    public async Task An_acknowledgement_from_another_meter_does_not_change_a_command()
    {
        var a = await CreateAsync(server, mode: "smart");
        var b = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var created = await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{a.MeterNumber}/commands", new { type = "readNow", reason = "check" }, Ct));
        await using var other = await ConnectedMeterAsync(b.MeterNumber);
        await other.PublishAsync(Topics.Acks, new AckMessage(created["id"]!.GetValue<Guid>(), "applied", null, DateTimeOffset.UnixEpoch));
        await Task.Delay(500, Ct);
        var row = (await Ok(await admin.GetAsync($"/api/v1/meters/{a.MeterNumber}/commands", Ct))).AsArray().Single()!;
        Assert.NotEqual("acknowledged", row["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_meter_not_heard_from_is_marked_offline()
    {
        var s = await CreateAsync(server, mode: "smart");
        await using (var meter = await ConnectedMeterAsync(s.MeterNumber))
        {
            await meter.PublishAsync(Topics.Status, new StatusMessage(true, "connected", 1, 1, null));
        }
        using var admin = server.Client();
        await EventuallyAsync(async _ => await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/status", Ct)), j => j["online"]!.GetValue<bool>());
        server.Clock.Advance(Duration.FromMinutes(10));
        await server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<HeadEndHousekeeping>().Single().RunOnceAsync(Ct);
        var status = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/status", Ct));
        Assert.False(status["online"]!.GetValue<bool>());
    }
}

public sealed class HeadEndSqliteTests(SqliteServer server) : HeadEndTests(server), IClassFixture<SqliteServer>;

public sealed class HeadEndPostgresTests(PostgresServer server) : HeadEndTests(server), IClassFixture<PostgresServer>;
