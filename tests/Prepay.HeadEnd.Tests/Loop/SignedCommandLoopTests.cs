using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.MeterLink.Mqtt;
using Prepay.Meter.Registers;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Loop;

/// <summary>
/// Someone who holds the broker (here the head-end's own login, which reads and writes every topic) publishes
/// commands straight to a meter: forged, unsigned, altered, and genuine ones captured and played back. The virtual
/// meter's credit and relay move only with the head-end's own commands.
/// </summary>
public abstract class SignedCommandLoopTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static JsonElement Args(object args) => JsonSerializer.SerializeToElement(args, ProtocolJson.Options);

    [Fact]
    public async Task Commands_forged_or_replayed_by_whoever_holds_the_broker_change_neither_credit_nor_relay()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 5_000);
        var meter = agent.MeterNumber;
        var credentials = server.Services.GetRequiredService<MeterCredentials>();
        await using var attacker = new MeterPeer(server.Services.GetRequiredService<MqttOptions>().ServiceUser);
        Assert.Equal(MqttClientConnectResultCode.Success, await attacker.ConnectAsync(agent.Endpoint.Port, credentials.ServicePassword, "intruder"));
        await attacker.SubscribeAsync(Topics.For(meter, Topics.Commands));

        // Forged with everything the broker knows (a key made from the service password), and unsigned.
        var t = server.Clock.GetCurrentInstant().ToDateTimeOffset();
        var brokerKey = new CommandKeys(credentials.ServicePassword).KeyFor(meter);
        var forgedCredit = CommandSignature.Seal(brokerKey, meter, new(Guid.CreateVersion7(), CommandTypes.AddCredit, Args(new { energyWh = 1_000_000 }), t, t.AddDays(1), 1_000))!;
        var forgedDisconnect = CommandSignature.Seal(brokerKey, meter, new(Guid.CreateVersion7(), CommandTypes.Disconnect, null, t, t.AddDays(1), 1_001))!;
        var unsignedDisconnect = new CommandMessage(Guid.CreateVersion7(), CommandTypes.Disconnect, null, t, t.AddDays(1), 1_002);
        await attacker.PublishAsync(Topics.Commands, forgedCredit, asMeter: meter);
        await attacker.PublishAsync(Topics.Commands, forgedDisconnect, asMeter: meter);
        await attacker.PublishAsync(Topics.Commands, unsignedDisconnect, asMeter: meter);
        await loop.EventuallyAsync(() => agent.ForgedCommands == 2 && agent.UnsignedCommands == 1, "the meter refuses the forged and unsigned commands");
        Assert.Empty(agent.Acks); // not even an answer
        Assert.Equal(5_000, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));

        // A genuine credit command, captured on its way.
        var (sold, _) = await loop.VendAsync("10.00");
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 1 && attacker.Commands.Any(c => c.Type == CommandTypes.AddCredit && c.CommandId != forgedCredit.CommandId), "the vend's credit arrives, seen by the intruder");
        var captured = attacker.Commands.First(c => c.Type == CommandTypes.AddCredit && c.CommandId != forgedCredit.CommandId);
        Assert.Equal(1, captured.Seq);
        Assert.Equal(5_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));

        // Altered (a hundred times the energy, or a newer sequence number): forged.
        await attacker.PublishAsync(Topics.Commands, captured with { Args = Args(new { energyWh = sold * 100 }), CommandId = Guid.CreateVersion7() }, asMeter: meter);
        await attacker.PublishAsync(Topics.Commands, captured with { Seq = captured.Seq + 1, CommandId = Guid.CreateVersion7() }, asMeter: meter);
        await loop.EventuallyAsync(() => agent.ForgedCommands == 4, "the altered copies are refused");

        // Played back as it was: the same command again, answered as a duplicate and not applied twice.
        await attacker.PublishAsync(Topics.Commands, captured, asMeter: meter);
        await loop.EventuallyAsync(() => agent.Acks.Count(a => a.CommandId == captured.CommandId) == 2, "the replay is answered");
        Assert.Equal("duplicate", agent.Acks.Last(a => a.CommandId == captured.CommandId).Result);

        // Once a newer command was accepted, the captured one is older: refused.
        var (soldAgain, _) = await loop.VendAsync("10.00");
        await loop.EventuallyAsync(() => agent.AddCreditsApplied == 2, "the second vend's credit arrives");
        await attacker.PublishAsync(Topics.Commands, captured, asMeter: meter);
        await loop.EventuallyAsync(() => agent.Acks.Count(a => a.CommandId == captured.CommandId) == 3, "the late replay is answered");
        var refusal = agent.Acks.Last(a => a.CommandId == captured.CommandId);
        Assert.Equal(("rejected", AckReasons.Replayed), (refusal.Result, refusal.Reason));

        Assert.Equal(2, agent.AddCreditsApplied);
        Assert.Equal(5_000 + sold + soldAgain, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct));
        // The head-end keeps its own record: both credits acknowledged as applied; the refused replay changed nothing.
        await LoopHarness.EventuallyAsync(async () => (await loop.ServerCommandsAsync()).All(c => c!["state"]!.GetValue<string>() == "acknowledged"), "both commands acknowledged");
        Assert.All(await loop.ServerCommandsAsync(), c => Assert.Equal("applied", c!["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_meter_given_the_wrong_command_key_refuses_the_head_ends_commands_and_they_are_never_applied()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync(initialCreditWh: 5_000, commandKey: new byte[32]);
        await loop.VendAsync("10.00");
        await loop.EventuallyAsync(() => agent.ForgedCommands >= 1, "the meter refuses the command it cannot verify");
        Assert.Equal(0, agent.AddCreditsApplied);
        Assert.Equal(5_000, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal("sent", (await loop.ServerCommandsAsync()).Single()!["state"]!.GetValue<string>());
    }
}

public sealed class SignedCommandLoopSqliteTests(SqliteServer server) : SignedCommandLoopTests(server), IClassFixture<SqliteServer>;

public sealed class SignedCommandLoopPostgresTests(PostgresServer server) : SignedCommandLoopTests(server), IClassFixture<PostgresServer>;
