using System.Text.Json;

namespace Prepay.Cli.Bench;

/// <summary><c>prepay bench topup</c>'s figures, as a table or one JSON object, with the ratios to the bare publish.</summary>
public sealed record TopUpReport(
    TopUpSettings Settings, int Fleet, int Drained, int Measured, double ReadingsPerSecond, double Seconds,
    Percentiles ToRelayClosed, Percentiles Http, Percentiles Publish, int NeverClosed, int HttpErrors, int PublishesLost,
    IReadOnlyList<string> ErrorSamples, CpuUse Cpu)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public double? P50Ratio => Percentiles.Ratio(ToRelayClosed.P50Ms, Publish.P50Ms);

    public double? P99Ratio => Percentiles.Ratio(ToRelayClosed.P99Ms, Publish.P99Ms);

    /// <summary>p99 under the aim, counting a top-up that never closed the relay as over it.</summary>
    public bool AimMet => NeverClosed == 0 && Measured > 0 && ToRelayClosed.Samples == Measured && ToRelayClosed.P99Ms < TopUpSettings.P99Aim.TotalMilliseconds;

    public IReadOnlyList<string> Problems
    {
        get
        {
            var problems = new List<string>();
            if (Drained < Settings.Targets)
            {
                problems.Add($"only {Drained} of {Settings.Targets} meters ran down to zero credit in time");
            }
            if (NeverClosed > 0)
            {
                problems.Add($"{NeverClosed} top-ups never closed their meter's relay");
            }
            if (HttpErrors > 0)
            {
                problems.Add($"{HttpErrors} purchases failed over HTTP");
            }
            if (PublishesLost > 0)
            {
                problems.Add($"{PublishesLost} reference publishes never arrived");
            }
            return problems;
        }
    }

    public bool Passed => Problems.Count == 0 && Measured > 0;

    public void WriteTable(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var s = Settings;
        o.WriteLine();
        o.WriteLine($"prepay bench topup: {s.Provider}, {Fleet:N0} smart virtual meters at {TopUpSettings.FleetSpeed:0}x publishing {ReadingsPerSecond:N0} readings/s, {Measured} top-ups of {TopUpSettings.Amount} ZAR at {s.Rate:0.##}/s over HTTP on 127.0.0.1; server, fleet and clients in one process, {Environment.ProcessorCount} cores");
        o.WriteLine();
        o.WriteLine($"{"",-36} {"samples",8} {"p50 ms",8} {"p90 ms",8} {"p99 ms",8} {"max ms",8}");
        Row(o, "top-up: request → relay closed", ToRelayClosed);
        Row(o, "  of which request → HTTP 201", Http);
        Row(o, "reference: publish → meter's client", Publish);
        o.WriteLine();
        o.WriteLine($"never closed: {NeverClosed}; HTTP errors: {HttpErrors}; reference publishes lost: {PublishesLost}; meters run down to zero: {Drained}/{s.Targets}");
        o.WriteLine($"cpu: {Cpu.PrepayPercent:0}% of one core for this process{(s.Postgres is null ? "" : $", {Cpu.PostgresPercent:0}% for PostgreSQL")}, over {Seconds:0.0} s");
        if (P50Ratio is { } r50 && P99Ratio is { } r99)
        {
            o.WriteLine($"top-up ÷ bare publish: p50 {r50:0.0}, p99 {r99:0.0}");
        }
        o.WriteLine($"aim p99 < {TopUpSettings.P99Aim.TotalMilliseconds:0} ms: {(AimMet ? "met" : "not met")}");
        foreach (var e in ErrorSamples)
        {
            o.WriteLine($"  error: {e}");
        }
        foreach (var p in Problems)
        {
            o.WriteLine($"FAIL {p}");
        }
        o.WriteLine(Passed ? "checks passed: every top-up closed its meter's relay" : "checks FAILED");
    }

    public void WriteJson(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var doc = new
        {
            provider = Settings.Provider,
            meters = Fleet,
            topups = Measured,
            rate = Settings.Rate,
            fleetSpeed = TopUpSettings.FleetSpeed,
            readingsPerSecond = Math.Round(ReadingsPerSecond, 1),
            seconds = Math.Round(Seconds, 2),
            cores = Environment.ProcessorCount,
            toRelayClosed = Figures(ToRelayClosed),
            http = Figures(Http),
            publish = Figures(Publish),
            p50Ratio = P50Ratio is { } a ? Math.Round(a, 2) : (double?)null,
            p99Ratio = P99Ratio is { } b ? Math.Round(b, 2) : (double?)null,
            neverClosed = NeverClosed,
            httpErrors = HttpErrors,
            publishesLost = PublishesLost,
            drained = Drained,
            targets = Settings.Targets,
            cpuPrepayPercent = Math.Round(Cpu.PrepayPercent, 1),
            cpuPostgresPercent = Settings.Postgres is null ? (double?)null : Math.Round(Cpu.PostgresPercent, 1),
            aimP99Ms = TopUpSettings.P99Aim.TotalMilliseconds,
            aimMet = AimMet,
            errors = ErrorSamples,
            problems = Problems,
            passed = Passed,
        };
        o.WriteLine(JsonSerializer.Serialize(doc, Json));
    }

    private static object Figures(Percentiles p) => new
    {
        samples = p.Samples,
        p50Ms = Math.Round(p.P50Ms, 2),
        p90Ms = Math.Round(p.P90Ms, 2),
        p99Ms = Math.Round(p.P99Ms, 2),
        maxMs = Math.Round(p.MaxMs, 2),
    };

    private static void Row(TextWriter o, string name, Percentiles p) =>
        o.WriteLine($"{name,-36} {p.Samples,8} {p.P50Ms,8:0.0} {p.P90Ms,8:0.0} {p.P99Ms,8:0.0} {p.MaxMs,8:0.0}");
}
