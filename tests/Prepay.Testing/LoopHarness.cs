using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Meter;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;
using Prepay.Sts.Keys;
using static Prepay.Testing.Scenario;

namespace Prepay.Testing;

/// <summary>
/// A virtual meter on MQTT beside a real server, with one notion of time: the test moves the server's fake clock
/// and the meter's clock together, so what the meter stamps is what the server expects.
/// </summary>
public sealed class LoopHarness(ServerFixture server, Scenario scenario)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Scenario Scenario => scenario;

    /// <summary>A virtual meter provisioned as the server would (its command key unless <paramref name="commandKey"/> says otherwise).</summary>
    public async Task<MqttMeterAgent> AgentAsync(long initialCreditWh = 0, int loadScalePercent = 100, bool connect = true, byte[]? commandKey = null)
    {
        using var admin = new PrepayApi(server.BaseAddress, ServerFixture.AdminKey);
        var info = await admin.MeterAsync(scenario.MeterNumber, Ct) ?? throw new InvalidOperationException("meter not found");
        var sts = info.Sts is { } p
            ? DecoderKeys.For(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex), iin: null, scenario.MeterNumber, p)
            : DecoderKeys.None;
        var meter = new PrepaidMeter(new MeterConfiguration
        {
            MeterId = scenario.MeterNumber, Seed = 42, Start = server.Clock.GetCurrentInstant(), Sts = sts,
            InitialCreditWh = initialCreditWh, LoadScalePercent = loadScalePercent,
            CommandKey = commandKey ?? server.Services.GetRequiredService<CommandKeys>().KeyFor(scenario.MeterNumber),
        });
        var agent = new MqttMeterAgent(meter, await EndpointAsync()) { ReadingsPerMessage = 4 };
        if (connect)
        {
            await agent.ConnectAsync(Ct);
        }
        return agent;
    }

    public async Task<AgentEndpoint> EndpointAsync()
    {
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return new AgentEndpoint("127.0.0.1", headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(scenario.MeterNumber));
    }

    /// <summary>Vends through the API; returns the energy sold and the token (null for a smart meter).</summary>
    public async Task<(long EnergyWh, string? Token)> VendAsync(string amount)
    {
        using var client = server.Client(scenario.VendorKey);
        var vend = await Ok(await client.SendAsync(Vend(new { meterNumber = scenario.MeterNumber, amount, currency = "ZAR" }), Ct));
        return (vend["energyWh"]!.GetValue<long>(), vend["token"]?.GetValue<string>());
    }

    /// <summary>Moves server and meter forward together, an hour at a time, until <paramref name="done"/> or <paramref name="limit"/>.</summary>
    public async Task RunUntilAsync(MqttMeterAgent agent, Func<PrepaidMeter, bool> done, Duration limit)
    {
        var end = server.Clock.GetCurrentInstant() + limit;
        while (!await agent.ReadAsync(done, Ct) && server.Clock.GetCurrentInstant() < end)
        {
            server.Clock.Advance(Duration.FromHours(1));
            await agent.AdvanceAsync(server.Clock.GetCurrentInstant(), Ct);
        }
        await agent.FlushAsync(Ct);
    }

    // Generous: a wait returns as soon as its condition holds, and a loaded 2-core CI machine can be slow to deliver.
    public static async Task EventuallyAsync(Func<Task<bool>> done, string what, int seconds = 30)
    {
        var watch = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds), "timed out waiting until " + what);
            await Task.Delay(25, Ct);
        }
    }

    public Task EventuallyAsync(Func<bool> done, string what, int seconds = 30) => EventuallyAsync(() => Task.FromResult(done()), what, seconds);

    public async Task<JsonArray> ServerEventsAsync()
    {
        using var admin = server.Client();
        return (await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}/events", Ct))).AsArray();
    }

    public async Task<JsonNode> ServerStatusAsync()
    {
        using var admin = server.Client();
        return await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}/status", Ct));
    }

    public async Task<JsonArray> ServerCommandsAsync()
    {
        using var admin = server.Client();
        return (await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}/commands", Ct))).AsArray();
    }

    /// <summary>The server's events of the credit loop from <paramref name="from"/> on, in the meter's order.</summary>
    public async Task<string[]> TimelineAsync(Instant from)
    {
        string[] loop = ["lowCredit", "creditExhausted", "relayOpened", "relayClosed", "tokenAccepted"];
        return [.. (await ServerEventsAsync())
            .Select(e => (At: Instant.FromDateTimeOffset(DateTimeOffset.Parse(e!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)),
                Id: e["id"]!.GetValue<long>(), Type: e["type"]!.GetValue<string>()))
            .Where(e => e.At >= from && loop.Contains(e.Type))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => e.Type)];
    }
}
