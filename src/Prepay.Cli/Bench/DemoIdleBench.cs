using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Prepay.Cli.Hosting;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench demo-idle [--meters 200] [--speed 60] [--warmup 20] [--duration 30] [--json]</c>: the steady CPU of
/// <c>prepay demo</c> left alone, what a newcomer's laptop pays for the demo running. The demo runs as a child process
/// (this executable, a fresh data directory, a free port) and its CPU time is read over the measured stretch after a
/// warm-up; in the same run the same demo with no simulated meters is the reference (the server's own floor: its
/// pollers and timers). Prints cores used by each, their ratio and the lines the demo wrote per minute (a demo that
/// logs per receipt is noisy as well as busy). Aim: under 0.15 of a core, reported, not failed. Exit code 1 when a
/// demo did not start.
/// </summary>
internal static class DemoIdleBench
{
    public const double AimCores = 0.15;

    public static Command Create()
    {
        var meters = new Option<int>("--meters") { Description = "Simulated meters (default 200, the demo's)", DefaultValueFactory = _ => 200 };
        var speed = new Option<double>("--speed") { Description = "Simulated seconds per real second (default 60, the demo's)", DefaultValueFactory = _ => 60 };
        var warmup = new Option<int>("--warmup") { Description = "Seconds after the fleet starts before measuring (default 20)", DefaultValueFactory = _ => 20 };
        var duration = new Option<int>("--duration") { Description = "Seconds measured (default 30, at most 600)", DefaultValueFactory = _ => 30 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table (progress goes to stderr)" };
        var command = new Command("demo-idle", "Steady CPU of prepay demo (200 meters at 60x) beside the same server with no meters, measured in the same run.")
        {
            meters, speed, warmup, duration, json,
        };
        command.SetAction(async (r, ct) =>
        {
            var settings = new Settings(r.GetValue(meters), r.GetValue(speed), TimeSpan.FromSeconds(r.GetValue(warmup)), TimeSpan.FromSeconds(r.GetValue(duration)));
            if (settings.Problem() is { } problem)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var asJson = r.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;
            try
            {
                await log.WriteLineAsync($"Demo with {settings.Meters} meters at {settings.Speed}x: starting, {settings.Warmup.TotalSeconds:0} s warm-up, {settings.Duration.TotalSeconds:0} s measured");
                var demo = await MeasureAsync(settings, settings.Meters, ct);
                await log.WriteLineAsync("Reference: the same demo with no meters");
                var alone = await MeasureAsync(settings, 0, ct);
                var report = new Report(settings, demo, alone, Environment.ProcessorCount, LoadAverage());
                if (asJson)
                {
                    await Console.Out.WriteLineAsync(report.Json());
                }
                else
                {
                    report.Write(Console.Out);
                }
                return 0;
            }
            catch (DemoFailedException e)
            {
                await Console.Error.WriteLineAsync($"prepay: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    public sealed record Settings(int Meters, double Speed, TimeSpan Warmup, TimeSpan Duration)
    {
        public string? Problem() =>
            Meters is < 1 or > 10_000 ? "--meters must be 1 to 10000"
            : Speed is < 0.1 or > 1_000_000 ? "--speed must be 0.1 to 1000000"
            : Warmup < TimeSpan.Zero || Warmup > TimeSpan.FromMinutes(10) ? "--warmup must be 0 to 600 seconds"
            : Duration < TimeSpan.FromSeconds(1) || Duration > TimeSpan.FromMinutes(10) ? "--duration must be 1 to 600 seconds"
            : null;
    }

    /// <summary>One demo measured: cores used over the stretch, and lines written per minute.</summary>
    public sealed record Run(int Meters, double Cores, double LinesPerMinute);

    private static async Task<Run> MeasureAsync(Settings s, int meters, CancellationToken ct)
    {
        var data = Directory.CreateTempSubdirectory("prepay-demo-idle-");
        var start = PeerProcess.SelfStartInfo("demo", "--data", data.FullName, "--urls", "http://127.0.0.1:0",
            "--meters", meters.ToString(CultureInfo.InvariantCulture), "--speed", s.Speed.ToString(CultureInfo.InvariantCulture));
        // Free ports for its broker: the measured demo must not collide with a demo or broker already running.
        start.Environment["PREPAY_Mqtt__Port"] = "0";
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new DemoFailedException("the demo process did not start");
        try
        {
            var lines = 0L;
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tail = new Queue<string>();
            // Both streams are read to the end, or a full pipe would stall the demo and the figure with it.
            var reading = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError));
            using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                limit.CancelAfter(TimeSpan.FromMinutes(3));
                var ended = process.WaitForExitAsync(limit.Token);
                if (await Task.WhenAny(ready.Task, ended) != ready.Task)
                {
                    throw new DemoFailedException($"the demo ({meters} meters) ended or did not start within 3 minutes: {string.Join(" | ", tail)}");
                }
            }
            await Task.Delay(s.Warmup, ct);
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var lines0 = Interlocked.Read(ref lines);
            var wall = Stopwatch.StartNew();
            await Task.Delay(s.Duration, ct);
            process.Refresh();
            if (process.HasExited)
            {
                throw new DemoFailedException($"the demo ({meters} meters) ended while measured: {string.Join(" | ", tail)}");
            }
            var cpu = process.TotalProcessorTime - cpu0;
            var seconds = wall.Elapsed.TotalSeconds;
            var written = Interlocked.Read(ref lines) - lines0;
            process.Kill(entireProcessTree: true);
            await reading.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            return new Run(meters, cpu.TotalSeconds / seconds, written * 60 / seconds);

            async Task ReadAsync(StreamReader reader)
            {
                while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
                {
                    Interlocked.Increment(ref lines);
                    lock (tail)
                    {
                        tail.Enqueue(line);
                        if (tail.Count > 5)
                        {
                            tail.Dequeue();
                        }
                    }
                    // The demo says when its fleet runs; with no meters, when it is up.
                    if (line.StartsWith(meters > 0 ? "Simulated fleet:" : "Press Ctrl+C to stop.", StringComparison.Ordinal))
                    {
                        ready.TrySetResult();
                    }
                }
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
            try
            {
                data.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temporary folder left behind is the system's to clean.
            }
        }
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public sealed record Report(Settings Settings, Run Demo, Run Alone, int Cores, string Load)
    {
        public double FleetCores => Math.Max(0, Demo.Cores - Alone.Cores);

        public double Ratio => Alone.Cores > 0 ? Demo.Cores / Alone.Cores : double.NaN;

        public bool Met => Demo.Cores < AimCores;

        public void Write(TextWriter o)
        {
            o.WriteLine($"prepay bench demo-idle: prepay demo as a child process, {Settings.Meters} simulated meters at {Settings.Speed}x, {Settings.Duration.TotalSeconds:0} s measured after {Settings.Warmup.TotalSeconds:0} s, {Cores} cores, load average {Load} at the end");
            o.WriteLine($"  demo, {Demo.Meters} meters          {Demo.Cores,6:0.000} of a core   {Demo.LinesPerMinute,6:0.0} lines written per minute");
            o.WriteLine($"  server alone (reference)  {Alone.Cores,6:0.000} of a core   {Alone.LinesPerMinute,6:0.0} lines written per minute");
            o.WriteLine($"  the fleet's share         {FleetCores,6:0.000} of a core, {1000 * FleetCores / Settings.Meters:0.000} ms of CPU per meter per second; ratio demo / server alone {Ratio:0.0}");
            o.WriteLine($"  aim under {AimCores} of a core: {(Met ? "met" : "missed")}");
        }

        public string Json() => JsonSerializer.Serialize(new
        {
            meters = Settings.Meters, speed = Settings.Speed, seconds = Settings.Duration.TotalSeconds, cores = Cores, load = Load,
            demoCores = Math.Round(Demo.Cores, 4), demoLinesPerMinute = Math.Round(Demo.LinesPerMinute, 1),
            serverAloneCores = Math.Round(Alone.Cores, 4), serverAloneLinesPerMinute = Math.Round(Alone.LinesPerMinute, 1),
            ratio = double.IsNaN(Ratio) ? (double?)null : Math.Round(Ratio, 2), aimCores = AimCores, met = Met,
        });
    }

    private sealed class DemoFailedException(string message) : Exception(message);
}
