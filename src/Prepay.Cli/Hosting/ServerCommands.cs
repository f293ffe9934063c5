using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prepay.Cli.Simulate;
using Prepay.Server;
using Prepay.Server.Demo;
using Prepay.Simulator.Fleet;
using Prepay.Storage;
using Prepay.Vending.Tokens;

namespace Prepay.Cli.Hosting;

/// <summary><c>prepay serve</c>, <c>prepay db migrate</c> and <c>prepay demo</c>: the server and its database.</summary>
internal static class ServerCommands
{
    private static Option<string?> Urls() => new("--urls") { Description = $"Addresses to listen on (default {PrepayServer.DefaultUrls})" };
    private static Option<string?> Data() => new("--data") { Description = "Data directory for the SQLite database (default ./data)" };
    private static Option<string?> Config() => new("--config") { Description = "Extra JSON configuration file (e.g. Storage:Provider=Postgres)" };

    public static Command Serve()
    {
        var urls = Urls();
        var data = Data();
        var config = Config();
        var command = new Command("serve", "Run the Prepay server: HTTP API, OpenAPI at /openapi/v1.json, reference at /scalar/.") { urls, data, config };
        command.SetAction(async (r, ct) =>
        {
            if (CheckConfig(r.GetValue(config)) is { } bad)
            {
                return bad;
            }
            var app = PrepayServer.Build(new ServerSettings { Urls = r.GetValue(urls), DataDirectory = r.GetValue(data), ConfigFile = r.GetValue(config) });
            if (Prepay.Server.Cluster.ClusterChecks.Problem(app.Configuration) is { } unsafeForNodes)
            {
                await Console.Error.WriteLineAsync($"prepay: {unsafeForNodes}");
                return CommandLine.BadInput;
            }
            await app.PrepareAsync(ct);
            if (await Prepay.Server.Cluster.EmbeddedBrokerSize.WarningAsync(app.Services, app.Configuration, ct) is { } outgrown)
            {
                app.Logger.LogWarning("{Warning}", outgrown);
            }
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (PortTaken(e) is { } taken)
            {
                await Console.Error.WriteLineAsync($"prepay: {taken}");
                return 1;
            }
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }

    public static Command Db()
    {
        var data = Data();
        var config = Config();
        var migrate = new Command("migrate", "Create the database or bring it up to date, then exit.") { data, config };
        migrate.SetAction(async (r, ct) =>
        {
            if (CheckConfig(r.GetValue(config)) is { } bad)
            {
                return bad;
            }
            await using var app = PrepayServer.Build(new ServerSettings { DataDirectory = r.GetValue(data), ConfigFile = r.GetValue(config) });
            await app.PrepareAsync(ct);
            var storage = app.Services.GetRequiredService<StorageOptions>();
            Console.WriteLine($"Database is up to date ({storage.Provider}).");
            return 0;
        });
        return new Command("db", "Database maintenance.") { migrate };
    }

    public static Command Demo()
    {
        var urls = Urls();
        var data = Data();
        var meters = new Option<int>("--meters") { Description = "Simulated meters on MQTT (default 200; 0 for none)", DefaultValueFactory = _ => 200 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second for the meters and the server's clock (default 60)", DefaultValueFactory = _ => 60 };
        var fleetTls = new Option<bool>("--fleet-tls") { Description = "Give the broker a TLS endpoint for meters with a self-signed certificate (made once in the data directory; its SHA-256 fingerprint is printed) and connect the simulated meters through it" };
        var command = new Command("demo", "Seed a demo dataset into a local SQLite database (or reuse it), run the server and a fleet of simulated meters.") { urls, data, meters, speed, fleetTls };
        command.SetAction(async (r, ct) =>
        {
            var dataDir = Path.GetFullPath(r.GetValue(data) ?? "data/demo");
            var overrides = new Dictionary<string, string?> { ["Storage:Provider"] = "Sqlite", ["Storage:ConnectionString"] = null };
            // STS tokens with a TEST vending key of this data directory, unless the environment names a real one.
            var demoKey = DemoVendingKey.ConfiguredInEnvironment() ? null : DemoVendingKey.EnsureKeyStoreFile(dataDir);
            if (demoKey is not null)
            {
                overrides["Sts:KeyStoreFile"] = demoKey;
                overrides["Sts:KeyName"] = DemoVendingKey.KeyName;
            }
            // With a fleet, the server's clock is the simulation's, so meters and server agree on the time.
#pragma warning disable RS0030 // composition root
            var clock = r.GetValue(meters) > 0 ? new SimulationClock(NodaTime.SystemClock.Instance.GetCurrentInstant()) : null;
#pragma warning restore RS0030
            overrides["Mqtt:OfflineAfter"] = "02:00:00"; // simulated meters send a status heartbeat every simulated hour
            DemoBrokerCertificate.Files? tls = null;
            if (r.GetValue(fleetTls))
            {
#pragma warning disable RS0030 // a certificate's validity is checked against the machine's clock
                tls = DemoBrokerCertificate.Ensure(dataDir, NodaTime.SystemClock.Instance.GetCurrentInstant());
#pragma warning restore RS0030
                overrides["Mqtt:Tls:CertificatePath"] = tls.CertificatePath;
                overrides["Mqtt:Tls:KeyPath"] = tls.KeyPath;
                // The demo's TLS endpoint stays on this machine, like the rest of the demo.
                overrides["Mqtt:Tls:BindAddress"] = "127.0.0.1";
                if (!PortSetInEnvironment("Mqtt__Tls__Port"))
                {
                    overrides["Mqtt:Tls:Port"] = LoopbackPortFree(DemoTlsPort) ? DemoTlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : "0";
                }
            }
            if (!PortSetInEnvironment("Mqtt__Port") && !LoopbackPortFree(DemoBrokerPort))
            {
                // A Mosquitto service or another demo has it: the demo's own broker and fleet do not need that port.
                overrides["Mqtt:Port"] = "0";
                Console.WriteLine($"MQTT port {DemoBrokerPort} is taken on this machine; the demo's broker listens on a free port instead.");
            }
            var app = PrepayServer.Build(new ServerSettings
            {
                Args = ["--environment", "Development"], // the sign-in cookie may then travel over the demo's plain http
                Urls = r.GetValue(urls),
                DataDirectory = dataDir,
                Overrides = overrides,
                Clock = clock,
            });
            await app.PrepareAsync(ct);
            Console.WriteLine($"Seeding the demo dataset in {dataDir} …");
            var keys = await DemoData.SeedAsync(app.Services, dataDir, ct);
            var logins = await DemoData.SeedLoginsAsync(app.Services, dataDir, ct);
            try
            {
                await app.StartAsync(ct);
            }
            catch (Exception e) when (PortTaken(e) is { } taken)
            {
                await Console.Error.WriteLineAsync($"prepay: {taken}");
                return 1;
            }
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            Console.WriteLine($"""

                Prepay demo is running at {address}
                  API reference   {address}/scalar/
                  OpenAPI         {address}/openapi/v1.json
                  Health          {address}/health/ready

                Demo API keys (send as 'Authorization: Bearer <key>'; stored hashed, kept in {Path.Combine(dataDir, "demo-keys.json")}):
                  admin     {keys.Admin}
                  operator  {keys.Operator}
                  vendor    {keys.Vendor}   (vendor {DemoData.ShopVendor}, float 50,000.00 ZAR)
                  app       {keys.App}   (vendor {DemoData.AppVendor})

                Demo sign-ins for the pages (kept in {Path.Combine(dataDir, "demo-logins.json")}):
                  admin     {logins.Admin.UserName} / {logins.Admin.Password}   {AuthenticatorLine(logins.Admin)}
                  operator  {logins.Operator.UserName} / {logins.Operator.Password}   {AuthenticatorLine(logins.Operator)}
                  clerk     {logins.Clerk.UserName} / {logins.Clerk.Password}   {AuthenticatorLine(logins.Clerk)}   (point of sale {address}/pos, vendor {DemoData.ShopVendor})
                  customer  {logins.Customer.UserName} / {logins.Customer.Password}   (SUNRISE A-101, portal {address}/portal)
                Sign in at {address}/login; anyone can recharge at {address}/recharge (sandbox checkout: test card 4242 4242 4242 4242).
                Operators and admins work in the console, {address}/console, and clerks at the point of sale after a code from an authenticator app
                (add the key above to any TOTP app: SHA-1, 6 digits, 30 s); a simulated meter's display and keypad
                are at {address}/meters/<number>/device, e.g. {address}/meters/{FleetHost.FirstDemoMeter}/device.

                {TlsLines(app, tls)}Tokens are STS, made with {(demoKey is null ? "the vending key named in the environment" : $"a TEST vending key in {demoKey} (demo meters only)")}.

                Try a vend by room number:
                  curl -s -X POST {address}/api/v1/vends -H 'Authorization: Bearer {keys.Vendor}' \
                    -H 'Idempotency-Key: demo-1' -H 'Content-Type: application/json' \
                    -d '{"{"}"site":"SUNRISE","unit":"A-101","amount":"100.00","currency":"ZAR"{"}"}'

                Press Ctrl+C to stop.
                """);
            var fleet = clock is null ? Task.CompletedTask
                : DemoFleet.RunAsync(app, keys, new Uri(address), clock, r.GetValue(meters), r.GetValue(speed), tls?.Fingerprint, app.Lifetime.ApplicationStopping);
            await app.WaitForShutdownAsync(ct);
            await fleet;
            return 0;
        });
        return command;
    }

    /// <summary>The authenticator key printed beside a password, or how to get one when the person was made before keys were.</summary>
    private static string AuthenticatorLine(DemoData.DemoLogin login) => login.AuthenticatorKey is { } key
        ? $"authenticator key {Prepay.Server.Web.Account.Authenticators.Readable(key)}"
        : "(sets up an authenticator app at first sign-in)";

    private static int? CheckConfig(string? file)
    {
        if (file is not null && !File.Exists(file))
        {
            Console.Error.WriteLine($"prepay: configuration file '{file}' does not exist");
            return CommandLine.BadInput;
        }
        return null;
    }

    private const int DemoBrokerPort = 1883;
    private const int DemoTlsPort = 8883;

    /// <summary>Where meters reach the demo's broker over TLS and the fingerprint they pin, or nothing without --fleet-tls.</summary>
    private static string TlsLines(WebApplication app, DemoBrokerCertificate.Files? tls) => tls is null ? ""
        : $"""
          MQTT over TLS for meters on 127.0.0.1:{app.Services.GetRequiredService<Prepay.HeadEnd.Mqtt.MqttHeadEnd>().BrokerTlsPort} (self-signed certificate {tls.CertificatePath})
            SHA-256 fingerprint {tls.Fingerprint}
          Plain MQTT stays on loopback; meters elsewhere pin this fingerprint.

          """;

    /// <summary>A port the user chose (PREPAY_Mqtt__Port=0 for a free one, say) is theirs: the demo does not second-guess it.</summary>
    private static bool PortSetInEnvironment(string key) => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PREPAY_" + key));

    private static bool LoopbackPortFree(int port)
    {
        try
        {
            var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// What to tell the user when the server could not listen because a port is taken (the HTTP address or the
    /// embedded broker's), or null for any other failure, which is left to surface as it is.
    /// </summary>
    internal static string? PortTaken(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse }
                || x.GetType().Name == "AddressInUseException")
            {
                return $"a port the server needs is taken ({e.Message.TrimEnd('.')}). Choose another --urls, or another MQTT port with Mqtt:Port (environment PREPAY_Mqtt__Port).";
            }
        }
        return null;
    }
}
