using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Link;

/// <summary>A server whose meters may send 20 messages and 5 events a minute.</summary>
public abstract class LimitedServer : ServerFixture
{
    public const int MessagesPerMinute = 20;
    public const int EventsPerMinute = 5;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Mqtt:Limits:MessagesPerMinute"] = MessagesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mqtt:Limits:EventsPerMinute"] = EventsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class LimitedSqliteServer : LimitedServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class LimitedPostgresServer : LimitedServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Per-meter limits on the embedded broker and in the head-end: a flood is refused and counted, and others go on.</summary>
public abstract class MeterLimitsTests(LimitedServer server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MeterPeer> ConnectedMeterAsync(string meterNumber)
    {
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var peer = new MeterPeer(meterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(meterNumber)));
        return peer;
    }

    private static byte[] Readings(int minute) => JsonSerializer.SerializeToUtf8Bytes(new ReadingsMessage(
        [new ReadingPayload(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddMinutes(minute), 1000 + minute, 1, 40_000, 2300, 1100, 253)]), ProtocolJson.Options);

    private static byte[] Events(int first, int count) => JsonSerializer.SerializeToUtf8Bytes(new EventsMessage(
        [.. Enumerable.Range(first, count).Select(i => new EventPayload(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero).AddMinutes(i), "tamper", null))]), ProtocolJson.Options);

    private async Task<int> StoredReadingsAsync(string meter)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.Readings.CountAsync(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == meter).Id, Ct);
    }

    private async Task<int> StoredEventsAsync(string meter)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.MeterEvents.CountAsync(e => e.MeterId == db.Meters.Single(m => m.MeterNumber == meter).Id, Ct);
    }

    private async Task<long> RejectionsAsync(string meter, string reason)
    {
        await server.Services.GetRequiredService<RejectionCounter>().FlushAsync(Ct);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.PayloadRejections.Where(r => r.MeterNumber == meter && r.Reason == reason).Select(r => r.Count).FirstOrDefaultAsync(Ct);
    }

    private async Task EventuallyAsync(Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50, Ct);
        }
    }

    [Fact]
    public async Task A_flooding_meter_is_refused_at_the_broker_and_counted_while_another_meters_message_goes_through()
    {
        server.SkipUnlessAvailable();
        var flooder = await CreateAsync(server, mode: "smart");
        var quiet = await CreateAsync(server, mode: "smart");
        await using var a = await ConnectedMeterAsync(flooder.MeterNumber);
        await using var b = await ConnectedMeterAsync(quiet.MeterNumber);

        const int sent = 200;
        var flood = Task.WhenAll(Enumerable.Range(0, sent).Select(i => a.PublishToAsync(Topics.For(flooder.MeterNumber, Topics.Readings), Readings(i))));
        // In the middle of the flood, the other meter's reading is stored.
        Assert.Equal(MqttClientPublishReasonCode.Success, await b.PublishToAsync(Topics.For(quiet.MeterNumber, Topics.Readings), Readings(0)));
        await EventuallyAsync(async () => await StoredReadingsAsync(quiet.MeterNumber) == 1, "the quiet meter's reading is stored");

        var acks = await flood;
        Assert.Equal(LimitedServer.MessagesPerMinute, acks.Count(c => c == MqttClientPublishReasonCode.Success));
        Assert.Equal(sent - LimitedServer.MessagesPerMinute, acks.Count(c => c == MqttClientPublishReasonCode.QuotaExceeded));
        Assert.Equal(sent - LimitedServer.MessagesPerMinute, await RejectionsAsync(flooder.MeterNumber, "rate-limited"));
        Assert.Equal(0, await RejectionsAsync(quiet.MeterNumber, "rate-limited"));
        // What was admitted is stored, what was refused is not: a later message of the quiet meter orders the check.
        Assert.Equal(MqttClientPublishReasonCode.Success, await b.PublishToAsync(Topics.For(quiet.MeterNumber, Topics.Readings), Readings(1)));
        await EventuallyAsync(async () => await StoredReadingsAsync(quiet.MeterNumber) == 2, "the quiet meter's second reading is stored");
        await EventuallyAsync(async () => await StoredReadingsAsync(flooder.MeterNumber) == LimitedServer.MessagesPerMinute, "the admitted readings are stored");
        Assert.Equal(LimitedServer.MessagesPerMinute, await StoredReadingsAsync(flooder.MeterNumber));
    }

    [Fact]
    public async Task Events_beyond_a_meters_allowance_are_refused_whole_before_they_are_stored_or_alerted()
    {
        server.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        var handler = server.Services.GetRequiredService<MeterMessageHandler>();

        await handler.HandleAsync(s.MeterNumber, Topics.Events, Events(0, 3), Ct);
        await handler.HandleAsync(s.MeterNumber, Topics.Events, Events(3, 3), Ct); // 6 > 5: refused whole
        await handler.HandleAsync(s.MeterNumber, Topics.Events, Events(6, LimitedServer.EventsPerMinute + 1), Ct); // more than a minute's worth at once

        // Alerts are written beside stored events only (MeterMessageHandler.EventsStoring): none stored, none alerted.
        Assert.Equal(3, await StoredEventsAsync(s.MeterNumber));
        Assert.Equal(2, await RejectionsAsync(s.MeterNumber, "rate-limited-events"));
    }
}

public sealed class MeterLimitsSqliteTests(LimitedSqliteServer server) : MeterLimitsTests(server), IClassFixture<LimitedSqliteServer>;

public sealed class MeterLimitsPostgresTests(LimitedPostgresServer server) : MeterLimitsTests(server), IClassFixture<LimitedPostgresServer>;
