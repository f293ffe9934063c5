using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MQTTnet;
using Npgsql;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests;

/// <summary>A PostgreSQL server whose dispatcher polls only every ten minutes: a command reaches a meter sooner only if something wakes it.</summary>
public sealed class SlowPollPostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Mqtt:DispatchInterval"] = "00:10:00" };
}

/// <summary>
/// Nodes tell one another of new commands on PostgreSQL: a command queued by another node reaches its meter at once
/// through this node's listener (also after the listener's connection is cut), and this node's wake reaches the others
/// as a notification sent after its commit.
/// </summary>
public sealed class CommandNotificationTests(SlowPollPostgresServer server) : IClassFixture<SlowPollPostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private CommandNotifications Listener => server.Services.GetServices<IHostedService>().OfType<CommandNotifications>().Single();

    private async Task<(Guid Id, MeterPeer Peer)> SubscribedMeterAsync()
    {
        var s = await CreateAsync(server, mode: "smart");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var peer = new MeterPeer(s.MeterNumber);
        Assert.Equal(MqttClientConnectResultCode.Success, await peer.ConnectAsync(headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(s.MeterNumber)));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, await peer.SubscribeAsync());
        await using var scope = server.Scope();
        var id = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        return (id, peer);
    }

    private string ConnectionString => server.Services.GetRequiredService<StorageOptions>().ResolveConnectionString();

    /// <summary>
    /// Queued as another node would: committed through a context of its own, then that node's notification on a
    /// connection of its own. Nothing in this process calls Wake.
    /// </summary>
    private async Task<Guid> QueueElsewhereAsync(Guid meterId, string meterNumber)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var command = CommandQueue.Enqueue(db, meterId, meterNumber, new Prepay.MeterLink.Commands.ReadNow(), server.Clock.GetCurrentInstant(), "another node");
        await db.SaveChangesAsync(Ct);
        await using var otherNode = new NpgsqlConnection(ConnectionString);
        await otherNode.OpenAsync(Ct);
        await CommandNotifications.NotifyAsync(otherNode, Ct);
        return command.Id;
    }

    private static Task ArrivesAsync(MeterPeer peer, Guid commandId, string what) =>
        LoopHarness.EventuallyAsync(() => Task.FromResult(peer.Commands.Any(c => c.CommandId == commandId)), what, seconds: 20);

    [Fact]
    public async Task A_command_queued_by_another_node_reaches_its_meter_long_before_the_next_poll_also_after_the_listener_lost_its_connection()
    {
        server.SkipUnlessAvailable();
        await LoopHarness.EventuallyAsync(() => Task.FromResult(Listener.Listens >= 1), "the listener listens");

        // Two meters one after the other: a wake left over from setting them up could send one command, not both.
        var (first, firstPeer) = await SubscribedMeterAsync();
        await using (firstPeer)
        {
            await ArrivesAsync(firstPeer, await QueueElsewhereAsync(first, firstPeer.MeterNumber), "the first command is sent on the notification");
        }
        var (second, secondPeer) = await SubscribedMeterAsync();
        await using (secondPeer)
        {
            await ArrivesAsync(secondPeer, await QueueElsewhereAsync(second, secondPeer.MeterNumber), "the second command is sent on the notification");
        }

        // The listener's connection is cut (a failover, a restart of the database): it connects and listens again.
        var listens = Listener.Listens;
        await using (var admin = new NpgsqlConnection(ConnectionString))
        {
            await admin.OpenAsync(Ct);
            await using var kill = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", admin);
            kill.Parameters.AddWithValue("name", CommandNotifications.ApplicationName);
            Assert.Equal(1L, await kill.ExecuteScalarAsync(Ct));
        }
        await LoopHarness.EventuallyAsync(() => Task.FromResult(Listener.Listens > listens), "the listener listens again");
        var (third, thirdPeer) = await SubscribedMeterAsync();
        await using (thirdPeer)
        {
            await ArrivesAsync(thirdPeer, await QueueElsewhereAsync(third, thirdPeer.MeterNumber), "a command after the reconnection is sent on its notification");
        }
    }

    [Fact]
    public async Task A_wake_after_commands_were_queued_here_is_a_notification_the_other_nodes_receive()
    {
        server.SkipUnlessAvailable();
        var listener = Listener;
        await using var otherNode = new NpgsqlConnection(ConnectionString);
        await otherNode.OpenAsync(Ct);
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        otherNode.Notification += (_, e) => received.TrySetResult(e.Channel);
        await using (var listen = new NpgsqlCommand($"LISTEN {CommandNotifications.Channel}", otherNode))
        {
            await listen.ExecuteNonQueryAsync(Ct);
        }
        var announced = listener.Announced;

        server.Services.GetRequiredService<CommandDispatcher>().Wake();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(20));
        while (!received.Task.IsCompleted)
        {
            await otherNode.WaitAsync(limit.Token);
        }
        Assert.Equal(CommandNotifications.Channel, await received.Task);
        await LoopHarness.EventuallyAsync(() => Task.FromResult(listener.Announced > announced), "this node counts the notification it sent");
    }
}
