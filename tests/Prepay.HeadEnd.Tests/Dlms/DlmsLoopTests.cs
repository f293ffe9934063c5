using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter;
using Prepay.Meter.Registers;
using Prepay.Simulator.Fleet;
using Prepay.Simulator.Tokens;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Sts.Keys;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>
/// A real server whose configuration holds the virtual DLMS meters' HLS-GMAC keys (<c>Dlms:Keys:Default</c>), the
/// same keys the meters are served with; its own scheduled reads are left to the test's rounds.
/// </summary>
public abstract class DlmsServerFixture : ServerFixture
{
    /// <summary>Credit (Wh) at or below which the head-end records a DLMS meter's credit as low.</summary>
    public const long LowCreditWh = 2_000;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Dlms:Keys:Default:BlockCipherKey"] = Convert.ToHexString(VirtualDlmsMeter.BlockCipherKey),
        ["Dlms:Keys:Default:AuthenticationKey"] = Convert.ToHexString(VirtualDlmsMeter.AuthenticationKey),
        ["Dlms:LowCreditWh"] = LowCreditWh.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The test reads in rounds of its own (ReadOnceAsync), in step with the fake clock.
        ["Dlms:ReadInterval"] = "1.00:00:00",
    };
}

public sealed class DlmsSqliteServer : DlmsServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class DlmsPostgresServer : DlmsServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>
/// The loop of the product over DLMS, with a real server and a virtual DLMS smart meter (STS keypad decoder) on
/// loopback TCP with HLS-GMAC: a vend queues the token, the DLMS transport enters it through the token gateway, the
/// meter's credit rises and its relay connects, the command is acknowledged; the scheduled reads bring consumption in
/// as readings and the meter's state changes in as events (low credit → a customer alert, credit exhausted, relay
/// opened); a top-up's token reconnects it.
/// </summary>
public abstract class DlmsLoopTests(DlmsServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<VirtualDlmsMeter> RegisterDlmsMeterAsync(Scenario scenario)
    {
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/transport", new { transport = "dlms" }, Ct));
        using var api = new PrepayApi(server.BaseAddress, ServerFixture.AdminKey);
        var info = await api.MeterAsync(scenario.MeterNumber, Ct) ?? throw new InvalidOperationException("meter not found");
        var meter = VirtualDlmsMeter.Serve(new MeterConfiguration
        {
            MeterId = scenario.MeterNumber,
            Seed = 42,
            Start = server.Clock.GetCurrentInstant(),
            Sts = DecoderKeys.For(VendingKey.ParseHex(ServerFixture.TestVendingKeyHex), iin: null, scenario.MeterNumber, info.Sts!),
            LoadScalePercent = 0,
        }, watts: 1_000);
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/dlms", new
        {
            host = "127.0.0.1", port = meter.Server.Port, clientAddress = 1, serverAddress = 1, authentication = "high-gmac",
            systemTitle = VirtualDlmsMeter.SystemTitleHex(scenario.MeterNumber),
        }, Ct));
        return meter;
    }

    private T Firmware<T>(VirtualDlmsMeter meter, Func<PrepaidMeter, T> read)
    {
        lock (meter.Dlms.Gate)
        {
            return read(meter.Firmware);
        }
    }

    private async Task ReadRoundAsync(VirtualDlmsMeter meter)
    {
        var runs = await server.Services.GetRequiredService<DlmsScheduledReads>().ReadOnceAsync(Ct);
        var mine = Assert.Single(runs, r => r.Meter == meter.Number);
        Assert.True(mine.Outcome.IsSuccess, $"the scheduled read of {meter.Number} failed: {mine.Outcome}");
    }

    private async Task<JsonArray> GetArrayAsync(string path)
    {
        using var admin = server.Client();
        return (await Ok(await admin.GetAsync(path, Ct))).AsArray();
    }

    /// <summary>The meter's newest command (the API lists them newest first).</summary>
    private async Task<JsonNode> TheLastCommandAsync(Scenario s) => (await GetArrayAsync($"/api/v1/meters/{s.MeterNumber}/commands"))[0]!;

    private async Task<string> VendAsync(Scenario s, string amount)
    {
        using var client = server.Client(s.VendorKey);
        var vend = await Ok(await client.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount, currency = "ZAR" }), Ct));
        return vend["token"]!.GetValue<string>();
    }

    private async Task<string[]> TimelineAsync(Scenario s, Instant from)
    {
        string[] loop = ["lowCredit", "creditExhausted", "relayOpened", "relayClosed"];
        return [.. (await GetArrayAsync($"/api/v1/meters/{s.MeterNumber}/events"))
            .Select(e => (At: Instant.FromDateTimeOffset(DateTimeOffset.Parse(e!["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)),
                Id: e["id"]!.GetValue<long>(), Type: e["type"]!.GetValue<string>()))
            .Where(e => e.At >= from && loop.Contains(e.Type))
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => e.Type)];
    }

    [Fact]
    public async Task A_dlms_smart_meter_goes_round_the_loop_token_through_the_gateway_consumption_low_credit_disconnection_top_up_reconnection()
    {
        var scenario = await CreateAsync(server, mode: "smart", stsDecoder: true);
        await using var meter = await RegisterDlmsMeterAsync(scenario);
        Assert.Equal(RelayState.Disconnected, Firmware(meter, m => m.Relay));
        var start = server.Clock.GetCurrentInstant();
        await ReadRoundAsync(meter); // the head-end's first look: relay open, no credit

        // A vend: the server queues the token; the transport enters it through the token gateway.
        var token = await VendAsync(scenario, "10.00");
        await LoopHarness.EventuallyAsync(async () => (await TheLastCommandAsync(scenario))["state"]!.GetValue<string>() == "acknowledged", "the token delivery is acknowledged");
        var delivered = await TheLastCommandAsync(scenario);
        Assert.Equal("deliverToken", delivered["type"]!.GetValue<string>());
        Assert.Equal("applied", delivered["outcome"]!.GetValue<string>());
        long sold = Firmware(meter, m => m.CreditWh);
        Assert.True(sold > DlmsServerFixture.LowCreditWh, $"the vend bought {sold} Wh");
        Assert.Equal(RelayState.Connected, Firmware(meter, m => m.Relay));
        Assert.Equal(0, meter.Relay.Method2Successes); // the meter connected itself on credit; no remote_reconnect was needed
        using (var admin = server.Client())
        {
            Assert.Equal("connected", (await Ok(await admin.GetAsync($"/api/v1/meters/{scenario.MeterNumber}/status", Ct)))["relay"]!.GetValue<string>());
        }
        Assert.NotNull(token);

        // Consumption, an hour at a time on both clocks, read by the scheduled reads until the meter disconnects.
        for (var hour = 0; hour < 96 && Firmware(meter, m => m.Relay) == RelayState.Connected; hour++)
        {
            server.Clock.Advance(Duration.FromHours(1));
            meter.Dlms.Advance(Duration.FromHours(1));
            await ReadRoundAsync(meter);
        }
        Assert.Equal(RelayState.Disconnected, Firmware(meter, m => m.Relay));
        long register = Firmware(meter, m => m.EnergyWh);
        // Readings are written in batches after ingestion: wait until what they add up to is the credit used (the
        // first row of a meter's first read has no row before it, so up to one quarter-hour's use is not in a delta).
        await LoopHarness.EventuallyAsync(async () => (await GetArrayAsync($"/api/v1/meters/{scenario.MeterNumber}/readings?limit=1000"))
            .Sum(r => r!["deltaWh"]!.GetValue<long>()) >= sold - 1_000, "the readings account for the credit used");
        var readings = await GetArrayAsync($"/api/v1/meters/{scenario.MeterNumber}/readings?limit=1000");
        Assert.True(readings.Count >= 4, $"{readings.Count} readings");
        Assert.All(readings, r => Assert.True(r!["energyWh"]!.GetValue<long>() <= register));
        // A quarter-hour counted twice would add 250 Wh at 1 kW; the meter may run a few Wh past zero before its relay opens.
        Assert.True(readings.Sum(r => r!["deltaWh"]!.GetValue<long>()) <= sold + 200, "no interval counted twice");
        Assert.Equal(["relayClosed", "lowCredit", "creditExhausted", "relayOpened"], await TimelineAsync(scenario, start));
        await LoopHarness.EventuallyAsync(async () => (await GetArrayAsync($"/api/v1/customers/{scenario.CustomerId}/notifications"))
            .Any(n => n!["kind"]!.GetValue<string>() == "lowCredit"), "the customer has a low-credit alert");

        // A top-up: its token reconnects the meter.
        server.Clock.Advance(Duration.FromHours(2));
        meter.Dlms.Advance(Duration.FromHours(2));
        await VendAsync(scenario, "10.00");
        await LoopHarness.EventuallyAsync(async () => (await GetArrayAsync($"/api/v1/meters/{scenario.MeterNumber}/commands")).Count == 2
            && (await TheLastCommandAsync(scenario))["state"]!.GetValue<string>() == "acknowledged", "the second token delivery is acknowledged");
        Assert.Equal("applied", (await TheLastCommandAsync(scenario))["outcome"]!.GetValue<string>());
        Assert.Equal(RelayState.Connected, Firmware(meter, m => m.Relay));
        Assert.Equal(["relayClosed", "lowCredit", "creditExhausted", "relayOpened", "relayClosed"], await TimelineAsync(scenario, start));
    }

    [Fact]
    public async Task A_token_the_meter_already_holds_is_acknowledged_as_used_and_adds_no_credit()
    {
        var scenario = await CreateAsync(server, mode: "smart", stsDecoder: true);
        await using var meter = await RegisterDlmsMeterAsync(scenario);
        var token = await VendAsync(scenario, "10.00");
        await LoopHarness.EventuallyAsync(async () => (await TheLastCommandAsync(scenario))["state"]!.GetValue<string>() == "acknowledged", "the token delivery is acknowledged");
        long credit = Firmware(meter, m => m.CreditWh);

        // As if the acknowledgement had been lost: the queue sends the delivery again; the decoder refuses it as used.
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await db.MeterCommands.Where(c => c.MeterNumber == scenario.MeterNumber)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Sent).SetProperty(c => c.NextAttemptAt, server.Clock.GetCurrentInstant()), Ct);
        }
        server.Services.GetRequiredService<CommandDispatcher>().Wake();
        await LoopHarness.EventuallyAsync(async () => (await TheLastCommandAsync(scenario))["state"]!.GetValue<string>() == "acknowledged"
            && (await TheLastCommandAsync(scenario))["outcome"]!.GetValue<string>() != "applied", "the resent delivery is answered");
        Assert.Equal("rejected: token-used", (await TheLastCommandAsync(scenario))["outcome"]!.GetValue<string>());
        Assert.Equal(credit, Firmware(meter, m => m.CreditWh));
        Assert.NotNull(token);
    }

    [Fact]
    public async Task Credit_thresholds_tariffs_and_credit_policies_are_refused_as_unsupported_for_a_dlms_keypad_meter()
    {
        server.SkipUnlessAvailable();
        var transport = server.Services.GetServices<IMeterTransport>().OfType<DlmsMeterTransport>().Single();
        Assert.False(transport.CanCarry(new Prepay.MeterLink.Commands.AddCredit(new Domain.Energy.Energy(1_000))));
        Assert.False(transport.CanCarry(new Prepay.MeterLink.Commands.SetCreditPolicy("IN-UPPCL", 1,
            [new(NodaTime.IsoDayOfWeek.Monday, new NodaTime.LocalTime(18, 0), 840)], [], Protected: false)));
        Assert.True(transport.CanCarry(new Prepay.MeterLink.Commands.DeliverToken(["12345678901234567890"])));
        Assert.True(transport.CanCarry(new Prepay.MeterLink.Commands.ReadNow()));
        await Task.CompletedTask;
    }
}

public sealed class DlmsLoopSqliteTests(DlmsSqliteServer server) : DlmsLoopTests(server), IClassFixture<DlmsSqliteServer>;

public sealed class DlmsLoopPostgresTests(DlmsPostgresServer server) : DlmsLoopTests(server), IClassFixture<DlmsPostgresServer>;
