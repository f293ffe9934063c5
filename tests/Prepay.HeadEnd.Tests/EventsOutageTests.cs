using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Npgsql;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// A meter's events arriving while the database cannot be reached for longer than a few retries (a failover takes ten
/// seconds or more) are stored once it answers again: the head-end waits the outage out instead of giving the message
/// up (and acknowledging what it never stored). Found by the Patroni failover test, which lost an event this way.
/// </summary>
public sealed class EventsOutageTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_are_stored_after_an_outage_longer_than_the_retries_of_a_bad_message()
    {
        server.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await using var meter = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await meter.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber)));

        // Every connection that waits to write an event is cut, for longer than the 6.2 s of a bad message's retries.
        var connection = server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString();
        await using var blocker = new NpgsqlConnection(connection);
        await blocker.OpenAsync(Ct);
        var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockEvents = new NpgsqlCommand("LOCK TABLE meter_events IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockEvents.ExecuteNonQueryAsync(Ct);
        }
        var at = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        await meter.PublishAsync(Topics.Events, new EventsMessage([new EventPayload(at, "coverOpen", null)]));
        var cut = 0L;
        var outage = System.Diagnostics.Stopwatch.StartNew();
        while (outage.Elapsed < TimeSpan.FromSeconds(9))
        {
            await using var kill = new NpgsqlCommand("""
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE NOT granted AND relation = 'meter_events'::regclass AND pid <> pg_backend_pid()
                """, blocker);
            cut += (long)(await kill.ExecuteScalarAsync(Ct))!;
            await Task.Delay(100, Ct);
        }
        Assert.True(cut >= 4, $"the head-end tried {cut} times during the outage"); // more than a bad message gets
        await hold.RollbackAsync(Ct);

        await LoopHarness.EventuallyAsync(async () =>
        {
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meterId = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            return await db.MeterEvents.CountAsync(e => e.MeterId == meterId && e.Type == "coverOpen", Ct) == 1;
        }, "the event is stored once the database answers", seconds: 30);
    }
}
