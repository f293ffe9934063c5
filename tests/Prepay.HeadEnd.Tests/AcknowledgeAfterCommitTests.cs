using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Npgsql;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>
/// The head-end tells the broker a meter's message is delivered only once its readings are committed: a node that
/// stops (or dies) while they wait for the database leaves the message with the broker, and the node that comes back
/// under the same client id receives it again and stores it, once. PostgreSQL only: the test holds the readings table
/// locked from another connection to keep the batch writer from committing, which SQLite cannot do without also
/// stopping the server's other writes.
/// </summary>
public sealed class AcknowledgeAfterCommitTests(MosquittoPostgresFixture fixture) : IClassFixture<MosquittoPostgresFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ExternalBrokerServer Server => fixture.Server;

    [Fact]
    public async Task Readings_waiting_for_the_database_when_the_node_stops_are_delivered_again_to_its_next_start_and_stored_once()
    {
        MosquittoBroker.SkipUnlessAvailable();
        Assert.SkipUnless(Databases.PostgresAvailable, "PostgreSQL not configured: set PREPAY_TEST_POSTGRES (the README's test command does).");
        var s = await CreateAsync(Server, mode: "smart");
        await fixture.Broker.AddMetersAsync(s.MeterNumber);
        await Server.Services.GetRequiredService<MqttHeadEnd>().Connected.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        await using var meter = await ConnectAsync(s.MeterNumber);

        await using var blocker = new NpgsqlConnection(Server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString());
        await blocker.OpenAsync(Ct);
        await using var hold = await blocker.BeginTransactionAsync(Ct);
        await using (var lockReadings = new NpgsqlCommand("LOCK TABLE readings IN EXCLUSIVE MODE", blocker, hold))
        {
            await lockReadings.ExecuteNonQueryAsync(Ct);
        }

        var ingestor = Server.Services.GetRequiredService<ReadingIngestor>();
        var acceptedBefore = ingestor.Accepted;
        ReadingPayload[] sent = [Reading(15, 1_000), Reading(30, 1_250), Reading(45, 1_500)];
        Assert.Equal(MqttClientPublishReasonCode.Success, await meter.PublishAsync(Topics.Readings, new ReadingsMessage(sent)));
        await LoopHarness.EventuallyAsync(() => Task.FromResult(ingestor.Accepted - acceptedBefore == sent.Length), "the head-end has the readings queued", seconds: 15);

        // The node stops while its batch writer waits on the lock; the lock goes only once it is down.
        await Server.RestartAsync(whileStopped: () => hold.RollbackAsync(Ct));

        await LoopHarness.EventuallyAsync(async () => await ReadingCountAsync(s.MeterNumber) == sent.Length,
            "the broker delivers the unacknowledged message to the restarted node, which stores it", seconds: 30);
        // Stored once: a second delivery would be refused by the readings' key, and nothing else is pending.
        await LoopHarness.EventuallyAsync(() => Task.FromResult(Written(Server) >= sent.Length), "the new node wrote them");
        Assert.Equal(sent.Length, await ReadingCountAsync(s.MeterNumber));
    }

    private static long Written(ServerFixture server) => server.Services.GetRequiredService<ReadingIngestor>().Totals.Written;

    private async Task<int> ReadingCountAsync(string meterNumber)
    {
        await using var scope = Server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return await db.Readings.CountAsync(r => r.MeterId == db.Meters.Single(m => m.MeterNumber == meterNumber).Id, Ct);
    }

    private async Task<BrokerMeter> ConnectAsync(string meterNumber)
    {
        var meter = new BrokerMeter(meterNumber);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        MqttClientConnectResultCode result;
        while ((result = await meter.ConnectAsync(fixture.Broker.Port, fixture.Broker.Credentials.PasswordFor(meterNumber))) != MqttClientConnectResultCode.Success
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct); // Mosquitto reloads its password file
        }
        Assert.Equal(MqttClientConnectResultCode.Success, result);
        return meter;
    }

    private static ReadingPayload Reading(int minutes, long energyWh) =>
        new(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero).AddMinutes(minutes), energyWh, 250, 40_000, 2300, 1100, 253);
}
