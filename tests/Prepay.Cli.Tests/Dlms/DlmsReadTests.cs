using System.Diagnostics;
using System.Net;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Security;
using Prepay.Dlms.Server;
using Prepay.Meter;
using Prepay.Meter.Dlms;
using Prepay.Simulator.Tokens;

namespace Prepay.Cli.Tests.Dlms;

/// <summary><c>prepay dlms read</c>, run as a user runs it, against a virtual DLMS meter on loopback.</summary>
public sealed class DlmsReadTests
{
    private const string Ek = "000102030405060708090A0B0C0D0E0F";
    private const string Ak = "D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF";
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "prepay.dll");

    [Fact]
    public async Task Reads_energy_publicly_and_credit_with_hls_gmac_and_a_wrong_key_is_refused()
    {
        var dlms = new DlmsMeter(new PrepaidMeter(new MeterConfiguration
        {
            MeterId = "DLMS-1", Seed = 1, Start = Instant.FromUtc(2026, 3, 1, 10, 0), Sts = DecoderKeys.None, InitialCreditWh = 4321,
        }));
        using var suite = new SecuritySuite0(Convert.FromHexString(Ek), Convert.FromHexString(Ak));
        await using var server = new DlmsServer(new DlmsServerOptions
        {
            Objects = dlms.Objects, PublicObjects = DlmsMeter.PublicObjects, Suite = suite, SystemTitle = Octets.FromHex("5052455041590001"),
        }, new IPEndPoint(IPAddress.Loopback, 0));
        server.Start();
        string port = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string counter = Path.Combine(Path.GetTempPath(), $"dlms-counter-{Guid.NewGuid():N}");
        try
        {
            var energy = await RunAsync("dlms", "read", "--port", port, "--obis", "1.0.1.8.0.255", "--json");
            Assert.Equal(0, energy.Exit);
            Assert.Contains("\"encoded\":\"0600000000\"", energy.Out, StringComparison.Ordinal);

            var credit = await RunAsync("dlms", "read", "--port", port, "--obis", "0.0.19.10.0.255", "--class", "112", "--client-address", "1",
                "--auth", "high-gmac", "--system-title", "4142434445464748", "--block-cipher-key", Ek, "--auth-key", Ak, "--counter-file", counter, "--json");
            Assert.Equal(0, credit.Exit);
            Assert.Contains("\"encoded\":\"05000010E1\"", credit.Out, StringComparison.Ordinal);
            uint next = uint.Parse(File.ReadAllText(counter), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(5u, next); // glo-initiate, f(StoC), the HLS reply and the GET: each reserved before it left

            var wrong = await RunAsync("dlms", "read", "--port", port, "--obis", "0.0.19.10.0.255", "--class", "112", "--client-address", "1",
                "--auth", "high-gmac", "--system-title", "4142434445464748", "--block-cipher-key", Ek, "--auth-key", new string('0', 32), "--counter-file", counter);
            Assert.Equal(1, wrong.Exit);
            Assert.Contains("diagnostic 13", wrong.Err, StringComparison.Ordinal);
            Assert.DoesNotContain(Ak, wrong.Err + wrong.Out, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(counter);
        }
    }

    private static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is not next to the test assembly");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
