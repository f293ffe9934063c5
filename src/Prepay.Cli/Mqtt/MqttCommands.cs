using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Cli.Hosting;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Mqtt;
using Prepay.Server;
using Prepay.Storage;

namespace Prepay.Cli.Mqtt;

/// <summary>
/// <c>prepay mqtt credentials --meter N</c> prints the broker password of one meter, and
/// <c>prepay mqtt mosquitto-config --out DIR</c> writes a Mosquitto configuration with the meters' credentials and
/// the v1 ACL (docs/mqtt.md). Both read the same configuration as <c>prepay serve</c> (<c>--data</c>, <c>--config</c>,
/// <c>PREPAY_</c> variables), so the passwords are the ones the head-end derives.
/// </summary>
internal static class MqttCommands
{
    public static Command Create() => new("mqtt", "MQTT broker credentials and an external Mosquitto's configuration.") { Credentials(), MosquittoConfigCommand() };

    private static Option<string?> Data() => new("--data") { Description = "Data directory (holds mqtt-secret when Mqtt:CredentialSecret is not set; default ./data)" };
    private static Option<string?> Config() => new("--config") { Description = "Extra JSON configuration file, as for 'prepay serve'" };

    private static Command Credentials()
    {
        var meter = new Option<string?>("--meter") { Description = "Meter number (the MQTT user name and client id)" };
        var data = Data();
        var config = Config();
        var command = new Command("credentials", "Print a meter's MQTT user name and password, and the key its commands are signed with (each derived from the head-end's secrets).") { meter, data, config };
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(meter) is not { } number || !MosquittoConfig.IsValidUser(number))
            {
                return Fail("--meter must be a meter number (letters, digits, '-' and '_')");
            }
            if (Open(r.GetValue(data), r.GetValue(config)) is not { } app)
            {
                return CommandLine.BadInput;
            }
            await using (app)
            {
                var credentials = app.Services.GetRequiredService<MeterCredentials>();
                Console.WriteLine($"user      {number}");
                Console.WriteLine($"client id {number}");
                Console.WriteLine($"password  {credentials.PasswordFor(number)}");
                // Installed in the meter at commissioning beside its password; it signs every command the meter will believe.
                Console.WriteLine($"command key {Convert.ToHexStringLower(app.Services.GetRequiredService<CommandKeys>().KeyFor(number))}");
            }
            return 0;
        });
        return command;
    }

    private static Command MosquittoConfigCommand()
    {
        var output = new Option<string?>("--out") { Description = "Directory to write mosquitto.conf, password_file and acl_file into" };
        var port = new Option<int>("--port") { Description = "Port of the meters' plain listener, on 127.0.0.1 (default 1883)", DefaultValueFactory = _ => 1883 };
        var servicePort = new Option<int>("--service-port") { Description = "Port of the head-end's own listener, on 127.0.0.1: the server's Mqtt:Port (default 1884)", DefaultValueFactory = _ => 1884 };
        var tlsPort = new Option<int?>("--tls-port") { Description = "Port of the meters' TLS listener (default Mqtt:Tls:Port); written when Mqtt:Tls:CertificatePath is set" };
        var fromDb = new Option<bool>("--meters-from-db") { Description = "Add every smart meter in the database to the password file" };
        var meters = new Option<string[]>("--meter") { Description = "A meter to add (repeatable)", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => [] };
        var data = Data();
        var config = Config();
        var command = new Command("mosquitto-config", "Write a Mosquitto configuration: meters' loopback and TLS listeners, the head-end's listener, hashed password file (mosquitto_passwd) and the v1 pattern ACL.")
        {
            output, port, servicePort, tlsPort, fromDb, meters, data, config,
        };
        command.SetAction(async (r, ct) =>
        {
            if (r.GetValue(output) is not { Length: > 0 } dir)
            {
                return Fail("--out DIR is required");
            }
            var listeners = new MosquittoListeners(r.GetValue(port), r.GetValue(servicePort), r.GetValue(tlsPort));
            if (listeners.Validate() is { } bad)
            {
                return Fail($"--port, --service-port, --tls-port: {bad}");
            }
            var p = listeners.ServicePort;
            if (MosquittoConfig.FindMosquittoPasswd() is not { } passwd)
            {
                return Fail("mosquitto_passwd not found: install Mosquitto (apt-get install mosquitto) so the password file can be hashed; plain text passwords are not written");
            }
            if (Open(r.GetValue(data), r.GetValue(config)) is not { } app)
            {
                return CommandLine.BadInput;
            }
            await using (app)
            {
                var numbers = new List<string>(r.GetValue(meters) ?? []);
                if (r.GetValue(fromDb))
                {
                    try
                    {
                        await using var scope = app.Services.CreateAsyncScope();
                        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
                        numbers.AddRange(await db.Meters.AsNoTracking().Where(m => m.Mode == MeterMode.Smart).OrderBy(m => m.MeterNumber).Select(m => m.MeterNumber).ToListAsync(ct));
                    }
                    catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
                    {
                        return Fail($"reading meters from the database failed (run 'prepay db migrate' first?): {e.Message}");
                    }
                }
                try
                {
                    var options = app.Services.GetRequiredService<MqttOptions>();
                    var files = await MosquittoConfig.WriteAsync(dir, listeners, app.Services.GetRequiredService<MeterCredentials>(),
                        options, numbers, passwd, ct);
                    Console.WriteLine($"""
                        Wrote {files.Config}
                              {files.PasswordFile} (service user and {numbers.Distinct(StringComparer.Ordinal).Count()} meters, hashed)
                              {files.AclFile}
                        Start:  mosquitto -c {files.Config}
                        Meters: 127.0.0.1:{listeners.MeterPort}{(options.Tls.Enabled ? $", TLS on {options.Tls.BindAddress}:{listeners.TlsPort ?? options.Tls.Port} (client certificates {options.Tls.ClientCertificates})" : " (set Mqtt:Tls to add a TLS listener for meters elsewhere)")}
                        Server: Mqtt:Embedded=false, Mqtt:Host=127.0.0.1, Mqtt:Port={p} (e.g. PREPAY_Mqtt__Embedded=false PREPAY_Mqtt__Port={p})
                        A meter added later needs the file written again (or mosquitto_passwd -b {files.PasswordFile} METER PASSWORD) and a SIGHUP to Mosquitto.
                        """);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
                {
                    return Fail(e.Message);
                }
            }
            return 0;
        });
        return command;
    }

    /// <summary>The server's configuration and services, built but not started (nothing listens, nothing migrates).</summary>
    private static WebApplication? Open(string? data, string? config)
    {
        if (config is not null && !File.Exists(config))
        {
            Fail($"configuration file '{config}' does not exist");
            return null;
        }
        var app = PrepayServer.Build(new ServerSettings
        {
            DataDirectory = data,
            ConfigFile = config,
            // Only this command's own lines: a database error is reported once, in one line.
            Overrides = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "None", ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "None" },
        });
        var options = app.Services.GetRequiredService<MqttOptions>();
        var dir = app.Configuration[$"{StorageOptions.Section}:DataDirectory"] ?? "data";
        if (string.IsNullOrWhiteSpace(options.CredentialSecret) && !File.Exists(Path.Combine(dir, "mqtt-secret")))
        {
            Console.Error.WriteLine($"prepay: no Mqtt:CredentialSecret configured; created a new secret in {Path.GetFullPath(Path.Combine(dir, "mqtt-secret"))} (the server uses it from the same data directory)");
        }
        return app;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"prepay: {message}");
        return CommandLine.BadInput;
    }
}
