using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MQTTnet;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Mqtt.Tls;

namespace Prepay.Cli.Tests.Hosting;

/// <summary><c>prepay demo --fleet-tls</c>, run as a user would: its certificate's fingerprint is printed and is what meters pin.</summary>
public sealed partial class DemoTlsTests
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "prepay.dll");

    [GeneratedRegex(@"MQTT over TLS for meters on 127\.0\.0\.1:(\d+)")]
    private static partial Regex TlsPortLine();

    [GeneratedRegex(@"SHA-256 fingerprint ([0-9A-F:]{95})")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"Prepay demo is running at (\S+)")]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"^\s+admin\s+(pp_\S+)")]
    private static partial Regex AdminKeyLine();

    [Fact]
    public async Task Demo_with_fleet_tls_prints_the_fingerprint_that_a_meter_pins_to_connect_and_its_fleet_comes_online_over_tls()
    {
        var ct = TestContext.Current.CancellationToken;
        var data = Directory.CreateTempSubdirectory("prepay-demo-tls-");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in new[] { Dll, "demo", "--fleet-tls", "--meters", "1", "--data", data.FullName, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // Free ports, chosen by the demo's broker itself: another demo in this run may hold 1883 or 8883.
        start.Environment["PREPAY_Mqtt__Port"] = "0";
        start.Environment["PREPAY_Mqtt__Tls__Port"] = "0";
        start.Environment["PREPAY_Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(240)); // a bound against a hang; a loaded machine has needed over two minutes
            int? port = null;
            string? fingerprint = null, address = null, adminKey = null;
            while (port is null || fingerprint is null || address is null || adminKey is null)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"the demo ended before printing its TLS endpoint: {await stderr}");
                if (TlsPortLine().Match(line) is { Success: true } p)
                {
                    port = int.Parse(p.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
                fingerprint ??= FingerprintLine().Match(line) is { Success: true } f ? f.Groups[1].Value : null;
                address ??= AddressLine().Match(line) is { Success: true } u ? u.Groups[1].Value : null;
                adminKey ??= AdminKeyLine().Match(line) is { Success: true } k ? k.Groups[1].Value : null;
            }

            // Made in the data directory, the key readable by its owner only.
            var keyFile = Path.Combine(data.FullName, "mqtt-tls-key.pem");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
            }
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(data.FullName, "mqtt-tls-cert.pem"));
            Assert.Equal(MeterTlsCertificates.Sha256Fingerprint(certificate), fingerprint);

            // A meter pinning the printed fingerprint connects over TLS with its password; one pinning another does not.
            var credentials = new MeterCredentials((await File.ReadAllTextAsync(Path.Combine(data.FullName, "mqtt-secret"), ct)).Trim());
            const string meter = "10000000001";
            Assert.True(await ConnectsAsync(port.Value, fingerprint, meter, credentials.PasswordFor(meter)));
            Assert.False(await ConnectsAsync(port.Value, string.Concat(Enumerable.Repeat("00:", 31)) + "00", meter, credentials.PasswordFor(meter)));

            // The simulated meter came over TLS too (its plain port is not where the fleet was pointed).
            using var http = new HttpClient { BaseAddress = new Uri(address) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            JsonNode? status = null;
            while (DateTime.UtcNow < deadline && status?["online"]?.GetValue<bool>() != true)
            {
                var response = await http.GetAsync($"/api/v1/meters/{meter}/status", ct);
                status = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) : null;
                await Task.Delay(200, ct);
            }
            Assert.True(status?["online"]?.GetValue<bool>() == true, $"the simulated meter is not online: {status?.ToJsonString()}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            data.Delete(recursive: true);
        }
    }

    private static async Task<bool> ConnectsAsync(int port, string fingerprint, string meter, string password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
                .WithTcpServer("127.0.0.1", port)
                .WithClientId(meter)
                .WithCredentials(meter, password)
                .WithTimeout(TimeSpan.FromSeconds(10))
                .WithTlsOptions(o => o.UseTls().WithTargetHost("127.0.0.1").WithCertificateValidationHandler(e =>
                    e.Certificate is not null && MeterTlsCertificates.MatchesFingerprint(X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData()), fingerprint)))
                .Build());
            await client.DisconnectAsync();
            return result.ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or System.Security.Authentication.AuthenticationException or IOException)
        {
            return false;
        }
    }
}
