using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Prepay.HeadEnd.Mqtt;

namespace Prepay.Testing;

/// <summary>
/// A real Mosquitto of the test's own, on a free loopback port, configured by <see cref="MosquittoConfig"/> exactly as
/// <c>prepay mqtt mosquitto-config</c> writes it (password file hashed by mosquitto_passwd, pattern ACL). Meters are
/// added to the password file as tests create them, and Mosquitto reloads it on SIGHUP, as an installer would do.
/// Absent Mosquitto skips the tests unless <c>PREPAY_TEST_REQUIRE_MOSQUITTO=1</c> (build.sh sets it).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly List<string> _meters = [];
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Process? _process;

    private readonly MqttOptions _options;

    /// <param name="options">The head-end's MQTT settings the configuration is written from (Mqtt:Tls for a TLS listener).</param>
    public MosquittoBroker(MqttOptions? options = null)
    {
        _options = options ?? new MqttOptions();
        Port = LoopbackPorts.Free();
        ServicePort = LoopbackPorts.Free();
        TlsPort = _options.Tls.Enabled ? LoopbackPorts.Free() : null;
        Directory = Path.Combine(Path.GetTempPath(), "prepay-mosquitto", Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>The secret the password file is derived from; the servers get it as Mqtt:CredentialSecret.</summary>
    public string Secret { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public MeterCredentials Credentials => new(Secret);

    /// <summary>The meters' plain listener.</summary>
    public int Port { get; }

    /// <summary>The head-end's own listener (the server's Mqtt:Port).</summary>
    public int ServicePort { get; }

    /// <summary>The meters' TLS listener, when the options have Mqtt:Tls.</summary>
    public int? TlsPort { get; }

    public string Directory { get; }

    public static string? Binary => MosquittoConfig.FindMosquitto();

    public static bool Required => Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_MOSQUITTO") == "1";

    /// <summary>False when the tests should be skipped: no mosquitto here and none required.</summary>
    public static bool Available => (Binary is not null && MosquittoConfig.FindMosquittoPasswd() is not null) || Required;

    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(Available, "mosquitto not installed (apt-get install mosquitto; ./build.sh test installs it and sets PREPAY_TEST_REQUIRE_MOSQUITTO=1).");

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private string LogFile => Path.Combine(Directory, "mosquitto.log");

    public async Task StartAsync()
    {
        var binary = Binary ?? throw new InvalidOperationException("PREPAY_TEST_REQUIRE_MOSQUITTO=1 but the mosquitto binary is not installed");
        await WriteConfigAsync();
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Directory };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Path.Combine(Directory, MosquittoConfig.ConfigFileName));
        _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
        var log = File.AppendText(LogFile);
        log.AutoFlush = true;
        _process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with {_process.ExitCode}: {Log}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Stops the broker (SIGKILL, by its PID) and waits until it is gone; the port stays ours to restart on.</summary>
    public async Task StopAsync()
    {
        if (_process is { } p)
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
            await p.WaitForExitAsync();
            p.Dispose();
            _process = null;
        }
    }

    /// <summary>Adds meters to the password file and has the running broker reload it.</summary>
    public async Task AddMetersAsync(params string[] meterNumbers)
    {
        await _lock.WaitAsync();
        try
        {
            _meters.AddRange(meterNumbers);
            await WriteConfigAsync();
            if (_process is { HasExited: false } p)
            {
                using var hup = Process.Start("kill", ["-HUP", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await hup.WaitForExitAsync();
                Assert.Equal(0, hup.ExitCode);
            }
        }
        finally
        {
            _lock.Release();
        }
        // Mosquitto reloads between network loops; give it a moment.
        await Task.Delay(300);
    }

    private Task WriteConfigAsync() =>
        MosquittoConfig.WriteAsync(Directory, new MosquittoListeners(Port, ServicePort, TlsPort), Credentials, _options, _meters, MosquittoConfig.FindMosquittoPasswd()!, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
