using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Security;
using Prepay.HeadEnd.Dlms;
using Prepay.Meter;
using Prepay.Meter.Dlms;
using Prepay.Simulator.Tokens;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.HeadEnd.Tests.Dlms;

/// <summary>A server with DLMS keys whose push listener is on, on a free loopback port, taking ciphered pushes only.</summary>
public abstract class DlmsPushServerFixture : DlmsServerFixture
{
    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Dlms:Push:Port"] = "0";
            return settings;
        }
    }
}

public sealed class DlmsPushSqliteServer : DlmsPushServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class DlmsPushPostgresServer : DlmsPushServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>
/// Data-Notifications pushed by a virtual DLMS meter reach the head-end's ingestion: a ciphered push from the system
/// title of a registered DLMS meter becomes its credit and register status in the API; a push from a title no meter
/// is registered under, or whose tag was made with another key, is refused and writes nothing.
/// </summary>
public abstract class DlmsPushTests(DlmsPushServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DlmsPushReception Reception => server.Services.GetRequiredService<DlmsPushReception>();

    private async Task<VirtualDlmsMeter> RegisterAsync(Scenario scenario)
    {
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/transport", new { transport = "dlms" }, Ct));
        var meter = VirtualDlmsMeter.Serve(new MeterConfiguration
        {
            MeterId = scenario.MeterNumber,
            Seed = 7,
            Start = server.Clock.GetCurrentInstant(),
            Sts = DecoderKeys.None,
            LoadScalePercent = 0,
            InitialCreditWh = 12_345,
        }, watts: 2_000);
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{scenario.MeterNumber}/dlms", new
        {
            host = "127.0.0.1", port = meter.Server.Port, systemTitle = VirtualDlmsMeter.SystemTitleHex(scenario.MeterNumber),
        }, Ct));
        return meter;
    }

    private async Task<JsonNode> StatusAsync(Scenario s)
    {
        using var admin = server.Client();
        return await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/status", Ct));
    }

    private static long? Long(JsonNode status, string name) => status[name]?.GetValue<long?>();

    [Fact]
    public async Task A_ciphered_push_becomes_the_meters_credit_and_register_status()
    {
        server.SkipUnlessAvailable();
        var scenario = await CreateAsync(server, mode: "smart", stsDecoder: true);
        await using var meter = await RegisterAsync(scenario);
        meter.Dlms.Advance(Duration.FromHours(1)); // 2 kWh used: credit and register both move
        long credit, energy;
        lock (meter.Dlms.Gate)
        {
            (credit, energy) = (meter.Firmware.CreditWh, meter.Firmware.EnergyWh);
        }
        Assert.True(energy > 0 && credit < 12_345, $"the meter ran: {energy} Wh used, {credit} Wh left");
        Assert.NotNull(Reception.Port);
        using var suite = new SecuritySuite0(VirtualDlmsMeter.BlockCipherKey, VirtualDlmsMeter.AuthenticationKey);
        long before = Reception.Ingested;

        await new DlmsMeterPush(meter.Dlms, Octets.FromHex(VirtualDlmsMeter.SystemTitleHex(scenario.MeterNumber)), suite)
            .PushAsync("127.0.0.1", Reception.Port!.Value, cancellationToken: Ct);

        await LoopHarness.EventuallyAsync(() => Task.FromResult(Reception.Ingested > before), "the push is ingested");
        var status = await StatusAsync(scenario);
        Assert.Equal(credit, Long(status, "creditWh"));
        Assert.Equal(energy, Long(status, "energyWh"));
        Assert.True(status["online"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_push_from_an_unknown_system_title_or_with_a_bad_tag_is_refused_and_writes_nothing()
    {
        server.SkipUnlessAvailable();
        var scenario = await CreateAsync(server, mode: "smart", stsDecoder: true);
        await using var meter = await RegisterAsync(scenario);
        var title = Octets.FromHex(VirtualDlmsMeter.SystemTitleHex(scenario.MeterNumber));
        using var rightKeys = new SecuritySuite0(VirtualDlmsMeter.BlockCipherKey, VirtualDlmsMeter.AuthenticationKey);
        using var wrongKey = new SecuritySuite0(new byte[16], VirtualDlmsMeter.AuthenticationKey);
        long refused = Reception.Refused;
        long ingested = Reception.Ingested;

        // The registered meter's body, but under a title no endpoint names; then its own title under another key.
        await new DlmsMeterPush(meter.Dlms, Octets.FromHex("5858580000000001"), rightKeys).PushAsync("127.0.0.1", Reception.Port!.Value, cancellationToken: Ct);
        await new DlmsMeterPush(meter.Dlms, title, wrongKey).PushAsync("127.0.0.1", Reception.Port!.Value, cancellationToken: Ct);

        await LoopHarness.EventuallyAsync(() => Task.FromResult(Reception.Refused >= refused + 2), "both pushes are refused");
        Assert.Equal(ingested, Reception.Ingested);
        var status = await StatusAsync(scenario);
        Assert.Null(Long(status, "creditWh"));
        Assert.Null(Long(status, "energyWh"));
        Assert.False(status["online"]!.GetValue<bool>());
    }
}

public sealed class DlmsPushSqliteTests(DlmsPushSqliteServer server) : DlmsPushTests(server), IClassFixture<DlmsPushSqliteServer>;

public sealed class DlmsPushPostgresTests(DlmsPushPostgresServer server) : DlmsPushTests(server), IClassFixture<DlmsPushPostgresServer>;
