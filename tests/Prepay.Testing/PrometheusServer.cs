using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Prepay.Testing;

/// <summary>
/// Debian's Prometheus on a free loopback port, scraping one target every second with a bearer key, its data in a
/// temporary directory. Absent Prometheus skips the test unless <c>PREPAY_TEST_REQUIRE_PROMETHEUS=1</c> (build.sh sets it).
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/prometheus";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "prepay-prometheus", Guid.NewGuid().ToString("N"));
    private readonly List<string> _log = [];
    private Process? _process;

    public int Port { get; } = LoopbackPorts.Free();

    public static bool Required => Environment.GetEnvironmentVariable("PREPAY_TEST_REQUIRE_PROMETHEUS") == "1";

    public static void SkipUnlessAvailable() =>
        Assert.SkipUnless(File.Exists(Binary) || Required, "prometheus not installed (apt-get install prometheus; ./build.sh test installs it and sets PREPAY_TEST_REQUIRE_PROMETHEUS=1).");

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join(Environment.NewLine, _log.TakeLast(40));
            }
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s <c>/metrics</c> every second as <paramref name="bearer"/>.</summary>
    public async Task StartAsync(Uri target, string bearer)
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException("PREPAY_TEST_REQUIRE_PROMETHEUS=1 but /usr/bin/prometheus is not installed");
        }
        Directory.CreateDirectory(_directory);
        var config = Path.Combine(_directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: prepay
                metrics_path: /metrics
                authorization:
                  credentials: {bearer}
                static_configs:
                  - targets: ['{target.Host}:{target.Port}']
            """);
        var start = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _directory };
        foreach (var argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_directory, "data")}", $"--web.listen-address=127.0.0.1:{Port}" })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>
    /// Runs an instant query until it returns at least one series whose value satisfies <paramref name="holds"/>, or
    /// fails after <paramref name="within"/> with what Prometheus said and logged.
    /// </summary>
    public async Task<double> WaitForAsync(string query, Func<double, bool> holds, TimeSpan within, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };
        var deadline = Stopwatch.StartNew();
        var last = "";
        while (deadline.Elapsed < within)
        {
            if (_process is { HasExited: true } p)
            {
                Assert.Fail($"prometheus exited with {p.ExitCode}: {Log}");
            }
            try
            {
                last = await http.GetStringAsync("/api/v1/query?query=" + Uri.EscapeDataString(query), ct);
                var results = JsonNode.Parse(last)?["data"]?["result"]?.AsArray() ?? [];
                foreach (var series in results)
                {
                    var value = double.Parse(series!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
                    if (holds(value))
                    {
                        return value;
                    }
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message; // not listening yet
            }
            await Task.Delay(250, ct);
        }
        Assert.Fail($"Prometheus found no {query} that holds within {within}: {last}{Environment.NewLine}{Log}");
        return double.NaN;
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }


    public ValueTask DisposeAsync() => ChildProcess.StopAsync(_process, _directory);
}
