using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using Prepay.HeadEnd.Ingest;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using Prepay.Testing.Fuzz;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Fuzz;

/// <summary>
/// Seeded wrong CONNECT packets (MQTT 3.1.1 and 5) written straight to the embedded broker's socket: the broker
/// answers or hangs up, nothing escapes, a will aimed at another meter never arrives, and afterwards a meter still
/// connects and is served.
/// </summary>
public abstract class ConnectPacketFuzzTests(ServerFixture server)
{
    private const string Project = "tests/Prepay.HeadEnd.Tests";

    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Mutated_connect_packets_are_answered_or_dropped_without_an_error_and_a_meter_still_connects_after()
    {
        var run = FuzzRun.FromEnvironment(defaultCount: 120);
        var meter = await CreateAsync(server, mode: "smart");
        var other = await CreateAsync(server, mode: "smart");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var credentials = server.Services.GetRequiredService<MeterCredentials>();
        var options = server.Services.GetRequiredService<MqttOptions>();
        // The other meter listens on its commands topic: a will aimed there must never reach it.
        await using var listener = new MeterPeer(other.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await listener.ConnectAsync(headEnd.BrokerPort, credentials.PasswordFor(other.MeterNumber)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await listener.SubscribeAsync());
        var mark = server.Logs.Mark();
        var accepted = new List<string>();
        for (var i = 0; i < run.Count; i++)
        {
            var (description, bytes) = ConnectMutations.Mutate(run.CaseRandom(i), meter.MeterNumber, credentials.PasswordFor(meter.MeterNumber), other.MeterNumber, options.ServiceUser);
            var why = $"case {i} ({description}){Environment.NewLine}replay it alone: {run.ReplayCommand(i, Project, GetType().Name)}";
            if (await SendAsync(headEnd.BrokerPort, bytes) is 0)
            {
                accepted.Add(why);
            }
            server.Logs.AssertNoErrorsSince(mark, why);
        }

        // Still serving: the meter connects the ordinary way and what it sends is handled.
        await using var peer = new MeterPeer(meter.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, credentials.PasswordFor(meter.MeterNumber)));
        await peer.PublishAsync(Topics.Events, new EventsMessage([new EventPayload(DateTimeOffset.UnixEpoch, "after-fuzz", null)]));
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var id = await db.Meters.Where(m => m.MeterNumber == meter.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!await db.MeterEvents.AnyAsync(e => e.MeterId == id && e.Type == "after-fuzz", Ct))
            {
                Assert.True(DateTime.UtcNow < deadline, "the head-end did not handle the meter's event after the fuzzed connections");
                await Task.Delay(20, Ct);
            }
            var otherId = await db.Meters.Where(m => m.MeterNumber == other.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            Assert.False(await db.MeterStatus.AnyAsync(s => s.MeterId == otherId, Ct), "a will reached another meter's status");
            Assert.False(await db.MeterEvents.AnyAsync(e => e.MeterId == otherId, Ct) || await db.Readings.AnyAsync(r => r.MeterId == otherId, Ct), "something was written for another meter");
            if (accepted.Count == 0)
            {
                Assert.False(await db.MeterStatus.AnyAsync(s => s.MeterId == id, Ct), "a refused connection's will was published");
            }
        }
        Assert.Empty(listener.Commands);
        // Refusals are counted under whatever user name came, however odd: storing the counts must not fail.
        await server.Services.GetRequiredService<RejectionCounter>().FlushAsync(Ct);
        server.Logs.AssertNoErrorsSince(mark, "replay the run: " + run.ReplayCommand(Project, GetType().Name));
    }

    /// <summary>Writes the bytes, says it has no more to send, and reads the answer; the CONNACK's reason code, or null without one.</summary>
    private async Task<int?> SendAsync(int port, byte[] bytes)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, Ct);
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None, Ct);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // The broker hung up before it had read everything (e.g. after a bad remaining length): an answer too.
        }
        var answer = new List<byte>();
        var buffer = new byte[512];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
            {
                answer.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !Ct.IsCancellationRequested)
        {
        }
        // CONNACK: 0x20, remaining length, acknowledge flags, reason code (§3.2).
        return answer.Count >= 4 && answer[0] == 0x20 ? answer[3] : null;
    }
}

public sealed class ConnectPacketFuzzSqliteTests(SqliteServer server) : ConnectPacketFuzzTests(server), IClassFixture<SqliteServer>;

public sealed class ConnectPacketFuzzPostgresTests(PostgresServer server) : ConnectPacketFuzzTests(server), IClassFixture<PostgresServer>;
