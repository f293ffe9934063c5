using System.Text.Json.Nodes;
using Prepay.Meter.Events;
using Prepay.Meter.Keypad;
using Prepay.Sts.Meter;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Loop;

/// <summary>
/// A smart meter with an STS keypad decoder, on real MQTT beside a real server: its top-up is a token, delivered by
/// the head-end and printed on the receipt. Whichever way the token arrives first is applied; the other is refused
/// as USED by the meter's TID memory, so the credit lands once; the head-end records which way it came.
/// </summary>
public abstract class KeypadFallbackTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonNode> VendAsync(Scenario s, string amount)
    {
        using var client = server.Client(s.VendorKey);
        return await Ok(await client.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount, currency = "ZAR" }), Ct));
    }

    private static async Task<JsonNode> TheCommandAsync(LoopHarness loop) => (await loop.ServerCommandsAsync()).Single()!;

    private static string State(JsonNode command) => command["state"]!.GetValue<string>();

    private async Task<string[]> TokenEventsAsync(LoopHarness loop) =>
        [.. (await loop.ServerEventsAsync())
            .Where(e => e!["type"]!.GetValue<string>() is "tokenAccepted" or "tokenRejected")
            .Select(e => $"{e!["type"]!.GetValue<string>()} {JsonNode.Parse(e["details"]!.GetValue<string>())!["via"]!.GetValue<string>()}")];

    [Fact]
    public async Task A_token_typed_while_the_meter_is_offline_credits_it_and_the_remote_delivery_is_then_refused_as_used()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart", stsDecoder: true));
        await using var agent = await loop.AgentAsync(initialCreditWh: 1_000);
        await agent.DropLinkAsync(Ct);

        var vend = await VendAsync(loop.Scenario, "20.00");
        long sold = vend["energyWh"]!.GetValue<long>();
        var token = vend["token"]!.GetValue<string>();
        Assert.Equal("deliverToken", (await TheCommandAsync(loop))["type"]!.GetValue<string>());
        await LoopHarness.EventuallyAsync(async () => State(await TheCommandAsync(loop)) == "sent", "the head-end sends the token to the offline meter");

        // The customer types the receipt's token: credit at once.
        var typed = await agent.TypeTokenAsync(token, Ct);
        Assert.Single(typed.OfType<TokenAccepted>());
        Assert.Equal(1_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));

        // Back online, the queued delivery arrives: the decoder refuses it as used, and the meter says so.
        await agent.ConnectAsync(Ct);
        await LoopHarness.EventuallyAsync(async () => State(await TheCommandAsync(loop)) == "acknowledged", "the delivery is acknowledged");
        Assert.Equal("rejected: token-used", (await TheCommandAsync(loop))["outcome"]!.GetValue<string>());
        Assert.Equal(1_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(sold, agent.CreditAddedWh);
        await LoopHarness.EventuallyAsync(async () => (await TokenEventsAsync(loop)).Length == 2, "both token events reach the server");
        Assert.Equal(["tokenAccepted Keypad", "tokenRejected Remote"], await TokenEventsAsync(loop));
    }

    [Fact]
    public async Task A_token_delivered_remotely_credits_the_meter_and_typing_it_afterwards_is_refused_as_used()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart", stsDecoder: true));
        await using var agent = await loop.AgentAsync(initialCreditWh: 1_000);

        var vend = await VendAsync(loop.Scenario, "20.00");
        long sold = vend["energyWh"]!.GetValue<long>();
        await LoopHarness.EventuallyAsync(async () => State(await TheCommandAsync(loop)) == "acknowledged", "the delivery is acknowledged");
        Assert.Equal("applied", (await TheCommandAsync(loop))["outcome"]!.GetValue<string>());
        Assert.Equal(1_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));

        // The receipt's token typed afterwards: USED, nothing added.
        var typed = await agent.TypeTokenAsync(vend["token"]!.GetValue<string>(), Ct);
        Assert.Equal(KeypadResult.Used, Assert.Single(typed.OfType<TokenRejected>()).Result);
        Assert.Equal(1_000 + sold, await agent.ReadAsync(m => m.CreditWh, Ct));
        Assert.Equal(sold, agent.CreditAddedWh);
        await LoopHarness.EventuallyAsync(async () => (await TokenEventsAsync(loop)).Length == 2, "both token events reach the server");
        Assert.Equal(["tokenAccepted Remote", "tokenRejected Keypad"], await TokenEventsAsync(loop));
    }

    [Fact]
    public async Task A_smart_meter_without_sts_parameters_keeps_its_credit_command_and_no_token()
    {
        var loop = new LoopHarness(server, await CreateAsync(server, mode: "smart"));
        await using var agent = await loop.AgentAsync();
        var vend = await VendAsync(loop.Scenario, "20.00");
        Assert.Null(vend["token"]);
        await LoopHarness.EventuallyAsync(async () => State(await TheCommandAsync(loop)) == "acknowledged", "the credit command is acknowledged");
        Assert.Equal("addCredit", (await TheCommandAsync(loop))["type"]!.GetValue<string>());
        Assert.Equal(vend["energyWh"]!.GetValue<long>(), await agent.ReadAsync(m => m.CreditWh, Ct));
    }
}

public sealed class KeypadFallbackSqliteTests(SqliteServer server) : KeypadFallbackTests(server), IClassFixture<SqliteServer>;

public sealed class KeypadFallbackPostgresTests(PostgresServer server) : KeypadFallbackTests(server), IClassFixture<PostgresServer>;
