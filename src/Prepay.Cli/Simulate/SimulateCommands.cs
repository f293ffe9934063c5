using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Cli.Hosting;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Server;
using Prepay.Server.Demo;
using Prepay.Simulator.Agents;
using Prepay.Simulator.Fleet;
using Prepay.Sts.Keys;

namespace Prepay.Cli.Simulate;

/// <summary>
/// <c>prepay simulate --meters N --days D --speed X --seed S [--dlms-share F] [--server URL] [--broker URL] [--api-key KEY] [--mqtt-secret S] [--command-secret S] [--staff-key KEY --dlms-block-cipher-key HEX --dlms-auth-key HEX] [--json]</c>:
/// a fleet of virtual meters on MQTT with customers buying over HTTP, for D simulated days at X simulated seconds
/// per real second; with --dlms-share, that share of them as DLMS meters on loopback ports, registered with the
/// server for the run. Without --server it runs its own server in-process (SQLite in a temporary directory, embedded
/// broker on a free loopback port, demo data, a TEST vending key, DLMS keys of its own) whose clock is the
/// simulation's. Loopback only.
/// </summary>
internal static class SimulateCommands
{
    public static Command Create()
    {
        var meters = new Option<int>("--meters") { Description = "Meters in the fleet (default 50, at most 10000)", DefaultValueFactory = _ => 50 };
        var days = new Option<double>("--days") { Description = "Simulated days (default 1, at most 3650)", DefaultValueFactory = _ => 1 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (default 3600)", DefaultValueFactory = _ => 3600 };
        var seed = new Option<int>("--seed") { Description = "Seed for loads and customers (default 1)", DefaultValueFactory = _ => 1 };
        var server = new Option<string?>("--server") { Description = "A running Prepay server on loopback (default: start one in-process)" };
        var broker = new Option<string?>("--broker") { Description = "Its MQTT broker, mqtt://127.0.0.1:1883 (with --server)" };
        var apiKey = new Option<string?>("--api-key") { Description = "An app or vendor key to vend with (with --server)" };
        var mqttSecret = new Option<string?>("--mqtt-secret") { Description = "The server's Mqtt:CredentialSecret, to log meters in (with --server)" };
        var commandSecret = new Option<string?>("--command-secret") { Description = "The server's Mqtt:CommandSecret, the meters' command keys (with --server)" };
        var vendingKey = new Option<string?>("--vending-key") { Description = "The server's TEST vending key (hex), so token meters accept its tokens (with --server)" };
        var dlmsShare = new Option<double>("--dlms-share") { Description = "Share of the meters (0 to 1) run as DLMS meters on loopback ports instead of MQTT, among those whose decoder reads the server's tokens (default 0)", DefaultValueFactory = _ => 0 };
        var staffKey = new Option<string?>("--staff-key") { Description = "An operator or admin key, to register the DLMS meters' transport and endpoint (with --server and --dlms-share)" };
        var dlmsCipherKey = new Option<string?>("--dlms-block-cipher-key") { Description = "The server's Dlms:Keys:Default:BlockCipherKey (32 hex digits), the DLMS meters' global unicast key (with --server and --dlms-share)" };
        var dlmsAuthKey = new Option<string?>("--dlms-auth-key") { Description = "The server's Dlms:Keys:Default:AuthenticationKey (32 hex digits) (with --server and --dlms-share)" };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object" };
        var deterministic = new Option<bool>("--deterministic") { Description = "Run the whole loop in one process on simulated time from seeds, with faults, checking invariants at every step (takes --seeds, --seed and --without only)" };
        var seeds = new Option<int?>("--seeds") { Description = $"With --deterministic: how many seeds to run, from --seed (default 1) on (default {DeterministicRuns.DefaultSeeds}; with --seed alone, that one seed)" };
        var without = new Option<string?>("--without") { Description = $"With --deterministic: guards to switch off, comma-separated, to see the invariants catch it ({string.Join(", ", Prepay.Simulation.GuardNames.All)})" };
        var command = new Command("simulate", "Run a fleet of virtual meters against a Prepay server over MQTT and HTTP, faster than real time.")
        {
            meters, days, speed, seed, dlmsShare, server, broker, apiKey, mqttSecret, commandSecret, vendingKey, staffKey, dlmsCipherKey, dlmsAuthKey, json, deterministic, seeds, without,
        };
        command.SetAction(async (r, ct) =>
        {
            Option[] fleetOnly = [meters, days, speed, dlmsShare, server, broker, apiKey, mqttSecret, commandSecret, vendingKey, staffKey, dlmsCipherKey, dlmsAuthKey, json];
            if (r.GetValue(deterministic))
            {
                if (fleetOnly.FirstOrDefault(o => r.GetResult(o) is { Implicit: false }) is { } other)
                {
                    await Console.Error.WriteLineAsync($"prepay: {other.Name} does not go with --deterministic (it takes --seeds, --seed and --without)");
                    return CommandLine.BadInput;
                }
                var given = r.GetResult(seed) is { Implicit: false } ? r.GetValue(seed) : (long?)null;
                var outcome = DeterministicRuns.Run(given, r.GetValue(seeds), r.GetValue(without), line => Console.Error.WriteLine(line), ct);
                await Console.Out.WriteAsync(outcome.Stdout);
                await Console.Error.WriteAsync(outcome.Stderr);
                return outcome.ExitCode;
            }
            if (r.GetResult(seeds) is { Implicit: false } || r.GetResult(without) is { Implicit: false })
            {
                await Console.Error.WriteLineAsync("prepay: --seeds and --without go with --deterministic");
                return CommandLine.BadInput;
            }
            var share = r.GetValue(dlmsShare);
            DlmsFleetKeys? dlmsKeys = null;
            string? keyProblem = null;
            // In-process, this run's own keys, given to its server too; against a server, the keys it holds.
            (string BlockCipherKey, string AuthenticationKey)? ownKeys = share > 0 && r.GetValue(server) is null
                ? (Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)))
                : null;
            if (share > 0)
            {
                dlmsKeys = ownKeys is { } own
                    ? DlmsFleetKeys.TryParse(own.BlockCipherKey, own.AuthenticationKey, out keyProblem)
                    : DlmsFleetKeys.TryParse(r.GetValue(dlmsCipherKey), r.GetValue(dlmsAuthKey), out keyProblem);
            }
            var options = new FleetOptions { Seed = r.GetValue(seed), Days = r.GetValue(days), Speed = r.GetValue(speed), DlmsShare = share, DlmsKeys = dlmsKeys };
            var count = r.GetValue(meters);
            var problem = (keyProblem is null ? null : $"--dlms-block-cipher-key and --dlms-auth-key: {keyProblem}")
                ?? (share is < 0 or > 1 ? "--dlms-share must be 0 to 1" : null)
                ?? options.Validate() ?? (count is < 1 or > 10_000 ? "--meters must be 1 to 10000" : null);
            if (problem is not null)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var summary = r.GetValue(server) is { } url
                ? await AgainstServerAsync(options, count, url, r.GetValue(broker), r.GetValue(apiKey), r.GetValue(mqttSecret), r.GetValue(commandSecret), r.GetValue(vendingKey), r.GetValue(staffKey), ct)
                : await InProcessAsync(options, count, ownKeys, ct);
            if (summary is null)
            {
                return CommandLine.BadInput;
            }
            await Console.Error.WriteLineAsync();
            Print(summary, r.GetValue(json));
            return 0;
        });
        return command;
    }

    private static async Task<FleetSummary> InProcessAsync(FleetOptions options, int count, (string BlockCipherKey, string AuthenticationKey)? dlmsKeys, CancellationToken ct)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "prepay-simulate", Guid.NewGuid().ToString("N"));
        var clock = new SimulationClock(FleetHost.DefaultStart);
        var testKey = TestVendingKey();
        var overrides = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:ConnectionString"] = null,
            ["Mqtt:Port"] = "0",
            // Simulated meters live hours in seconds: lift the per-meter limits a real meter would never meet.
            ["Mqtt:Limits:MessagesPerMinute"] = "10000000",
            ["Mqtt:Limits:EventsPerMinute"] = "10000000",
            ["Mqtt:OfflineAfter"] = "02:00:00", // meters send a status heartbeat every simulated hour
            ["Sts:VendingKeyHex"] = testKey,
            ["RateLimit:PermitsPerSecond"] = "100000",
            ["RateLimit:Burst"] = "100000",
            ["RateLimit:PerAddressPermitsPerSecond"] = "100000",
            ["RateLimit:PerAddressBurst"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Error",
        };
        if (dlmsKeys is { } own)
        {
            (overrides["Dlms:Keys:Default:BlockCipherKey"], overrides["Dlms:Keys:Default:AuthenticationKey"]) = own;
            // Read every 15 simulated minutes, as a head-end would, but at most once a real second.
            overrides["Dlms:ReadInterval"] = TimeSpan.FromSeconds(Math.Max(1, 900 / options.Speed)).ToString("c", CultureInfo.InvariantCulture);
        }
        var app = PrepayServer.Build(new ServerSettings
        {
            Urls = "http://127.0.0.1:0",
            DataDirectory = dataDir,
            Clock = clock,
            Overrides = overrides,
        });
        try
        {
            await app.PrepareAsync(ct);
            var keys = await DemoData.SeedAsync(app.Services, dataDir, ct);
            await app.StartAsync(ct);
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var headEnd = app.Services.GetRequiredService<MqttHeadEnd>();
            await headEnd.Connected.WaitAsync(TimeSpan.FromSeconds(30), ct);
            await Console.Error.WriteLineAsync($"Prepay server in-process at {address}, MQTT broker on 127.0.0.1:{headEnd.BrokerPort}; preparing {count} meters …");
            using var admin = new PrepayApi(address, keys.Admin);
            var infos = await FleetHost.DemoFleetAsync(admin, count, ct);
            var fleetMeters = FleetHost.Prepare(infos, VendingKey.ParseHex(testKey), null, "127.0.0.1", headEnd.BrokerPort,
                app.Services.GetRequiredService<MeterCredentials>(), app.Services.GetRequiredService<CommandKeys>());
            using var vendor = new PrepayApi(address, keys.App);
            return await RunAsync(options, clock, vendor, admin, fleetMeters, ct);
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<FleetSummary?> AgainstServerAsync(FleetOptions options, int count, string url, string? broker, string? apiKey, string? mqttSecret, string? commandSecret, string? vendingKeyHex, string? staffKey, CancellationToken ct)
    {
        var brokerUri = new Uri(broker ?? "mqtt://127.0.0.1:1883");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var server) || !IsLoopback(server.Host) || !IsLoopback(brokerUri.Host))
        {
            await Console.Error.WriteLineAsync("prepay: --server and --broker must be loopback addresses (the simulator only talks to this machine)");
            return null;
        }
        if (apiKey is null || mqttSecret is null || commandSecret is null)
        {
            await Console.Error.WriteLineAsync("prepay: with --server, give --api-key (app or vendor), --mqtt-secret (the server's Mqtt:CredentialSecret) and --command-secret (its Mqtt:CommandSecret)");
            return null;
        }
        if (options.DlmsShare > 0 && staffKey is null)
        {
            await Console.Error.WriteLineAsync("prepay: with --server and --dlms-share, give --staff-key (operator or admin) to register the DLMS meters, and --dlms-block-cipher-key and --dlms-auth-key (the server's Dlms:Keys:Default)");
            return null;
        }
        VendingKey? vendingKey = null;
        if (vendingKeyHex is not null && VendingKey.TryParseHex(vendingKeyHex, out vendingKey) is { } bad)
        {
            await Console.Error.WriteLineAsync($"prepay: --vending-key: {bad}");
            return null;
        }
        using var api = new PrepayApi(server, apiKey);
        var listed = await api.SendAsync(HttpMethod.Get, $"/api/v1/meters?limit={count}", new { }, ct);
        var infos = new List<MeterInfo>();
        foreach (var m in listed!.AsArray().Take(count))
        {
            if (await api.MeterAsync(m!["meterNumber"]!.GetValue<string>(), ct) is { } info)
            {
                infos.Add(info);
            }
        }
        if (vendingKey is null)
        {
            await Console.Error.WriteLineAsync("No --vending-key: token meters are left out (they could not read the server's tokens).");
        }
        var fleetMeters = FleetHost.Prepare(infos, vendingKey, null, brokerUri.Host, brokerUri.Port > 0 ? brokerUri.Port : 1883,
            new MeterCredentials(mqttSecret), new CommandKeys(commandSecret));
        // The server keeps its own (real) clock; the meters start at the real now, and a fast run gets ahead of it.
#pragma warning disable RS0030 // composition root of a simulation against a real server
        var clock = new SimulationClock(SystemClock.Instance.GetCurrentInstant());
#pragma warning restore RS0030
        using var staff = new PrepayApi(server, staffKey ?? apiKey);
        return await RunAsync(options, clock, api, staff, fleetMeters, ct);
    }

    private static async Task<FleetSummary> RunAsync(FleetOptions options, SimulationClock clock, PrepayApi vendor, PrepayApi staff, IReadOnlyList<FleetMeter> meters, CancellationToken ct)
    {
        var fleet = new Fleet(options, clock, vendor, staff);
        fleet.Progress += p => Console.Error.Write(FleetHost.ProgressLine(p, options.Days, meters.Count));
        var dlms = Fleet.DlmsMeters(meters, options.DlmsShare).Count;
        await Console.Error.WriteLineAsync($"Simulating {meters.Count} meters ({dlms} on DLMS) for {options.Days} days at {options.Speed}x (seed {options.Seed}) …");
        return await fleet.RunAsync(meters, ct);
    }

    private static void Print(FleetSummary s, bool asJson)
    {
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                meters = s.Meters, readings = s.Readings, events = s.Events, vends = s.Vends, vendFailures = s.VendFailures,
                tokensTyped = s.TokensTyped, tokensRejected = s.TokensRejected, disconnections = s.Disconnections, reconnections = s.Reconnections,
                alertsSent = s.AlertsSent ?? 0, alertsAvailable = s.AlertsSent is not null,
                commandsLost = s.CommandsLost, creditMismatches = s.CreditMismatches, linkDrops = s.LinkDrops,
                simulatedDays = s.SimulatedDays, realSeconds = s.RealSeconds, dlmsMeters = s.DlmsMeters, dlmsSessions = s.DlmsSessions,
            }));
            return;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            Fleet simulation: {s.Meters} meters, {s.SimulatedDays:0.###} simulated days in {s.RealSeconds:0.#} s
              readings published   {s.Readings}
              events published     {s.Events}
              vends                {s.Vends} ({s.VendFailures} refused)
              tokens typed         {s.TokensTyped} ({s.TokensRejected} rejected by the meter)
              disconnections       {s.Disconnections} (relay opened)
              reconnections        {s.Reconnections} (relay closed)
              link drops           {s.LinkDrops} (meter offline for 1-6 simulated hours)
              alerts sent          {(s.AlertsSent is { } a ? a.ToString(CultureInfo.InvariantCulture) : "0 (the server has no alerts API yet)")}
              commands lost        {s.CommandsLost}
              credit mismatches    {s.CreditMismatches}
              DLMS meters          {s.DlmsMeters} (read and commanded in {s.DlmsSessions} sessions)
            """));
    }

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>A fresh TEST vending key (64 bits, DKGA-02) for this run's in-process server and its virtual meters only.</summary>
    private static string TestVendingKey()
    {
        var key = new byte[8];
        do
        {
            RandomNumberGenerator.Fill(key);
        }
        while (System.Security.Cryptography.DES.IsWeakKey(key) || System.Security.Cryptography.DES.IsSemiWeakKey(key));
        return Convert.ToHexStringLower(key);
    }
}
