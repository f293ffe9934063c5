using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Meter.Load;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;
using Prepay.Storage;
using Prepay.Sts.Keys;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Simulator.Tests.Fleet;

/// <summary>
/// A real server whose clock is the fleet's (as <c>prepay simulate</c> runs its own), holding the fleet's DLMS keys
/// as an operator sets them (<c>Dlms:Keys:Default</c>), reading its DLMS meters every real second.
/// </summary>
public abstract class FleetServerFixture : ServerFixture
{
    public static readonly byte[] BlockCipherKey = Convert.FromHexString("A0A1A2A3A4A5A6A7A8A9AAABACADAEAF");
    public static readonly byte[] AuthenticationKey = Convert.FromHexString("B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF");

    public SimulationClock FleetClock { get; } = new(Instant.FromUtc(2026, 11, 23, 8, 0));

    protected override IClock ServerClock => FleetClock;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Dlms:Keys:Default:BlockCipherKey"] = Convert.ToHexString(BlockCipherKey),
        ["Dlms:Keys:Default:AuthenticationKey"] = Convert.ToHexString(AuthenticationKey),
        ["Dlms:ReadInterval"] = "00:00:01",
        ["Mqtt:OfflineAfter"] = "02:00:00",
    };
}

public sealed class FleetSqliteServer : FleetServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class FleetPostgresServer : FleetServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>
/// A fleet with a DLMS share against a real server: the DLMS meter is registered as an operator would register it,
/// a vend to it reaches it through its token gateway (its credit rises with no token typed), the scheduled reads bring
/// its load profile in as readings, and the MQTT meters of the same fleet go on getting their credit and sending readings.
/// </summary>
public abstract class DlmsShareTests(FleetServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<FleetMeter> FleetMeterAsync(Scenario scenario, bool takesTokens)
    {
        using var admin = new PrepayApi(server.BaseAddress, ServerFixture.AdminKey);
        var info = await admin.MeterAsync(scenario.MeterNumber, Ct) ?? throw new InvalidOperationException("meter not found");
        var headEnd = server.Services.GetRequiredService<MqttHeadEnd>();
        await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return new FleetMeter(
            scenario.MeterNumber,
            info.IsSmart,
            info.Sts is { } sts ? DecoderKeys.For(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex), iin: null, scenario.MeterNumber, sts) : DecoderKeys.None,
            LoadShape.Residential,
            new AgentEndpoint("127.0.0.1", headEnd.BrokerPort, server.Services.GetRequiredService<MeterCredentials>().PasswordFor(scenario.MeterNumber)),
            server.Services.GetRequiredService<CommandKeys>().KeyFor(scenario.MeterNumber),
            takesTokens);
    }

    private async Task<JsonNode> GetAsync(string path)
    {
        using var admin = server.Client();
        return await Ok(await admin.GetAsync(path, Ct));
    }

    private async Task VendAsync(Scenario vendor, string meter, string amount)
    {
        using var client = server.Client(vendor.VendorKey);
        await Ok(await client.SendAsync(Vend(new { meterNumber = meter, amount, currency = "ZAR" }), Ct));
    }

    [Fact]
    public async Task A_dlms_share_of_the_fleet_takes_vends_through_its_token_gateway_and_is_read_while_the_mqtt_meters_keep_working()
    {
        var dlmsSmart = await CreateAsync(server, floatAmount: "1000000.00", mode: "smart", stsDecoder: true);
        var mqttSmart = await CreateAsync(server, mode: "smart");
        var mqttToken = await CreateAsync(server, mode: "token");
        FleetMeter[] meters = [await FleetMeterAsync(dlmsSmart, takesTokens: true), await FleetMeterAsync(mqttSmart, false), await FleetMeterAsync(mqttToken, true)];
        // A third of three meters: one, the first whose decoder reads the server's tokens.
        Assert.Equal([dlmsSmart.MeterNumber], Simulator.Fleet.Fleet.DlmsMeters(meters, 1.0 / 3));

        using var vendor = new PrepayApi(server.BaseAddress, dlmsSmart.VendorKey);
        using var staff = new PrepayApi(server.BaseAddress, ServerFixture.AdminKey);
        var fleet = new Simulator.Fleet.Fleet(new FleetOptions
        {
            Seed = 5, Days = null, Speed = 600, LinkDropsPerMeterDay = 0, DlmsShare = 1.0 / 3,
            DlmsKeys = new DlmsFleetKeys(FleetServerFixture.BlockCipherKey, FleetServerFixture.AuthenticationKey),
        }, server.FleetClock, vendor, staff);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = fleet.RunAsync(meters, stop.Token);
        try
        {
            await fleet.Started.WaitAsync(TimeSpan.FromSeconds(60), Ct);
            var dlms = Assert.Single(fleet.DlmsAgents);
            Assert.Equal(dlmsSmart.MeterNumber, dlms.MeterNumber);
            Assert.Equal(2, fleet.Agents.Count);

            // Registered as an operator would: transport dlms, its loopback port and system title.
            var registered = await GetAsync($"/api/v1/meters/{dlmsSmart.MeterNumber}");
            Assert.Equal("dlms", registered["transport"]!.GetValue<string>());
            Assert.Equal(dlms.Port, registered["dlms"]!["port"]!.GetValue<int>());
            Assert.Equal(dlms.SystemTitle.ToString(), registered["dlms"]!["systemTitle"]!.GetValue<string>());

            // A vend reaches the DLMS meter through its token gateway: the credit its decoder accepted rises.
            long before = dlms.CreditAddedWh;
            long deliveries = dlms.AddCreditsApplied;
            await VendAsync(dlmsSmart, dlmsSmart.MeterNumber, "20.00");
            await LoopHarness.EventuallyAsync(() => Task.FromResult(dlms.AddCreditsApplied > deliveries && dlms.CreditAddedWh > before), "the DLMS meter's credit rises", seconds: 60);
            Assert.Equal(0, dlms.TokensTyped); // nobody typed it: the head-end entered it

            // The scheduled reads bring the DLMS meter's load profile in as readings.
            await LoopHarness.EventuallyAsync(async () => (await GetAsync($"/api/v1/meters/{dlmsSmart.MeterNumber}/readings?limit=10")).AsArray().Count > 0,
                "the DLMS meter's readings are in", seconds: 60);
            Assert.True(dlms.SessionsServed > 0);

            // The MQTT meters of the same fleet keep working: a smart one's credit command lands, both send readings.
            var mqtt = fleet.Agents.Single(a => a.MeterNumber == mqttSmart.MeterNumber);
            long applied = mqtt.AddCreditsApplied;
            await VendAsync(dlmsSmart, mqttSmart.MeterNumber, "20.00");
            await LoopHarness.EventuallyAsync(() => Task.FromResult(mqtt.AddCreditsApplied > applied), "the MQTT meter's credit command is applied", seconds: 60);
            foreach (var meter in new[] { mqttSmart.MeterNumber, mqttToken.MeterNumber })
            {
                await LoopHarness.EventuallyAsync(async () => (await GetAsync($"/api/v1/meters/{meter}/readings?limit=10")).AsArray().Count > 0,
                    $"MQTT meter {meter}'s readings are in", seconds: 60);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
        // The run over, the meter is back on MQTT.
        Assert.Equal("mqtt", (await GetAsync($"/api/v1/meters/{dlmsSmart.MeterNumber}"))["transport"]!.GetValue<string>());
    }
}

public sealed class DlmsShareSqliteTests(FleetSqliteServer server) : DlmsShareTests(server), IClassFixture<FleetSqliteServer>;

public sealed class DlmsSharePostgresTests(FleetPostgresServer server) : DlmsShareTests(server), IClassFixture<FleetPostgresServer>;
