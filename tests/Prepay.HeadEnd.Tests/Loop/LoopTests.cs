using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Loop;

/// <summary>
/// The whole loop with a virtual meter on real MQTT and a real server: a vend becomes credit on the meter,
/// consumption draws it down, the meter warns and disconnects, the next vend reconnects; and the faults on the way.
/// </summary>
public abstract class LoopTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_smart_meter_goes_round_the_loop_vend_credit_low_credit_disconnection_vend_reconnection()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync();
        Assert.Equal(RelayState.Disconnected, await agent.ReadAsync(m => m.Relay, Ct));
        var start = server.Clock.GetCurrentInstant();

        var (sold, token) = await loop.VendAsync("10.00");
        Assert.Null(token);
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 1, "the addCredit command is applied");
        Assert.Equal(sold, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));

        await loop.RunUntilAsync(agent, m => m.Relay == RelayState.Disconnected, Duration.FromDays(4));
        Assert.Equal(RelayState.Disconnected, await agent.ReadAsync(m => m.Relay, Ct));
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerStatusAsync())["relay"]?.GetValue<string>() == "disconnected", "the server sees the relay open");
        await LoopHarness.EventuallyAsync(async () => (await loop.TimelineAsync(start)).Contains("relayOpened"), "the server has the relayOpened event");

        server.Clock.Advance(Duration.FromHours(2));
        await agent.AdvanceAsync(server.Clock.GetCurrentInstant(), Ct);
        await loop.VendAsync("10.00");
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 2, "the second addCredit command is applied");
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerStatusAsync())["relay"]?.GetValue<string>() == "connected", "the server sees the relay closed");

        string[] expected = ["relayClosed", "lowCredit", "creditExhausted", "relayOpened", "relayClosed"];
        await LoopHarness.EventuallyAsync(async () => (await loop.TimelineAsync(start)).Length >= expected.Length, "all loop events reach the server");
        Assert.Equal(expected, await loop.TimelineAsync(start));
        // The meter applied the second command before its acknowledgement reached the server: wait for it too.
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).All(c => c!["state"]!.GetValue<string>() == "acknowledged"), "both acknowledgements are recorded");
        var commands = await loop.ServerCommandsAsync();
        Assert.All(commands, c => Assert.Equal("applied", c!["outcome"]!.GetValue<string>()));
        Assert.Equal(2, commands.Count);
    }

    [Fact]
    public async Task A_token_meter_goes_round_the_loop_with_the_vends_tokens_typed_on_its_keypad()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "token"));
        await using var agent = await loop.AgentAsync();
        var start = server.Clock.GetCurrentInstant();

        var (sold, token) = await loop.VendAsync("10.00");
        Assert.NotNull(token);
        var typed = await agent.TypeTokenAsync(token, Ct);
        Assert.Equal(sold, Assert.Single(typed.OfType<TokenAccepted>()).TokenWh);
        Assert.Contains(typed, o => o is RelayClosed);

        await loop.RunUntilAsync(agent, m => m.Relay == RelayState.Disconnected, Duration.FromDays(4));
        Assert.Equal(RelayState.Disconnected, await agent.ReadAsync(m => m.Relay, Ct));
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerStatusAsync())["relay"]?.GetValue<string>() == "disconnected", "the server sees the relay open");

        server.Clock.Advance(Duration.FromHours(5));
        await agent.AdvanceAsync(server.Clock.GetCurrentInstant(), Ct);
        var second = await loop.VendAsync("10.00");
        Assert.Contains(await agent.TypeTokenAsync(second.Token!, Ct), o => o is TokenAccepted);
        // The same token again is refused by the meter: credit is added once.
        Assert.Contains(await agent.TypeTokenAsync(second.Token!, Ct), o => o is TokenRejected);
        await agent.FlushAsync(Ct);

        string[] expected = ["tokenAccepted", "relayClosed", "lowCredit", "creditExhausted", "relayOpened", "tokenAccepted", "relayClosed"];
        await LoopHarness.EventuallyAsync(async () => (await loop.TimelineAsync(start)).Length >= expected.Length, "all loop events reach the server");
        Assert.Equal(expected, await loop.TimelineAsync(start));
        Assert.Equal(sold + second.EnergyWh, agent.CreditAddedWh);
    }

    [Fact]
    public async Task A_top_up_while_the_meter_is_offline_lands_once_when_it_reconnects()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 5_000);
        await agent.DropLinkAsync(Ct);
        // What is under test is the command's fate, not presence: the meter is gone from the broker from here on.
        // (Waiting for its last will to reach the status API was unreliable when this class's tests run together;
        // the cause is open, see the session note.)

        var (sold, _) = await loop.VendAsync("20.00");
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).Any(c => c!["state"]!.GetValue<string>() == "sent"), "the head-end sends the command");
        await Task.Delay(300, Ct);
        Assert.Equal(0, agent.AddCreditsApplied);

        await agent.ConnectAsync(Ct);
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 1, "the queued command arrives after reconnecting");
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).Single()!["state"]!.GetValue<string>() == "acknowledged", "the acknowledgement is recorded");
        // Later retries, if any, are duplicates to the meter.
        server.Clock.Advance(Duration.FromMinutes(10));
        await Task.Delay(1_500, Ct);
        Assert.Equal(1, agent.AddCreditsApplied);
        Assert.Equal(5_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));
    }

    [Fact]
    public async Task Duplicated_commands_are_applied_once_and_reordered_older_ones_are_refused_so_a_late_connect_does_not_undo_a_newer_disconnect()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 5_000);
        var options = server.Services.GetRequiredService<MqttOptions>();
        await using var headEnd = new MeterPeer(options.ServiceUser);
        Assert.Equal(MqttClientConnectResultCode.Success,
            await headEnd.ConnectAsync(agent.Endpoint.Port, server.Services.GetRequiredService<MeterCredentials>().ServicePassword, "test-head-end"));
        var key = server.Services.GetRequiredService<CommandKeys>().KeyFor(agent.MeterNumber);

        var t = server.Clock.GetCurrentInstant().ToDateTimeOffset();
        CommandMessage Command(int seq, string type, object? args) => CommandSignature.Seal(key, agent.MeterNumber, new(Guid.CreateVersion7(t.AddSeconds(seq)), type,
            args is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(args, ProtocolJson.Options), t, t.AddDays(1), seq))!;
        var older = Command(1, CommandTypes.AddCredit, new { energyWh = 500 });
        var newer = Command(2, CommandTypes.AddCredit, new { energyWh = 1_000 });
        var connect = Command(3, CommandTypes.Connect, null);
        var disconnect = Command(4, CommandTypes.Disconnect, null);
        foreach (var c in new[] { newer, newer, older, disconnect, connect, older })
        {
            await headEnd.PublishAsync(Topics.Commands, c, asMeter: agent.MeterNumber);
        }

        await loop.EventuallyAsync(() => agent.Acks.Count == 6, "six acknowledgements");
        Assert.Equal(["applied", "duplicate", "rejected", "applied", "rejected", "rejected"], agent.Acks.Select(a => a.Result));
        Assert.Equal([null, null, AckReasons.Replayed, null, AckReasons.Replayed, AckReasons.Replayed], agent.Acks.Select(a => a.Reason));
        Assert.Equal(6_000, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(RelayState.Disconnected, await agent.ReadAsync(m => m.Relay, Ct));
    }

    [Fact]
    public async Task A_command_the_head_end_sends_again_after_it_was_applied_is_a_duplicate_and_adds_nothing()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 1_000);
        var (sold, _) = await loop.VendAsync("10.00");
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 1, "the command is applied");
        // The first acknowledgement must be in before the row is reset, or it would land after and close the command.
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).Single()!["state"]!.GetValue<string>() == "acknowledged", "the first acknowledgement is recorded");

        // As if the acknowledgement had been lost: the queue sends the command again.
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await db.MeterCommands.Where(c => c.MeterNumber == agent.MeterNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Sent).SetProperty(c => c.NextAttemptAt, server.Clock.GetCurrentInstant()), Ct);
        }
        await loop.EventuallyAsync(() => agent.Acks.Any(a => a.Result == "duplicate"), "the resent command is answered as a duplicate");
        Assert.Equal(1, agent.AddCreditsApplied);
        Assert.Equal(1_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));
    }
}

public sealed class LoopSqliteTests(SqliteServer server) : LoopTests(server), IClassFixture<SqliteServer>;

public sealed class LoopPostgresTests(PostgresServer server) : LoopTests(server), IClassFixture<PostgresServer>;
