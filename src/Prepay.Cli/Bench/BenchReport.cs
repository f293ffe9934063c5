using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Prepay.Cli.Bench;

/// <summary>The run's figures, as a table or one JSON object.</summary>
public sealed record BenchReport(BenchSettings Settings, IReadOnlyList<ProviderResult> Providers, PgBench.Result? PgBench, IReadOnlyList<string> Failures)
{
    public const double RatioTarget = 0.5;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>PostgreSQL vends/s ÷ pgbench TPS, when both ran.</summary>
    public double? Ratio => PgBench is { Tps: > 0 } pg && Providers.FirstOrDefault(p => p.Provider == "postgres") is { } p ? p.Load.VendsPerSecond / pg.Tps : null;

    public bool? RatioMet => Ratio is { } r ? r >= RatioTarget : null;

    /// <summary>
    /// The PostgreSQL server's CPU per vend ÷ its CPU per TPC-B transaction, both measured in this run: how many TPC-B
    /// transactions' worth of database work one vend is, and with it the most vends/s the machine's cores could give if
    /// the server itself spent nothing: the ceiling of the ratio to pgbench on this machine.
    /// </summary>
    public double? DatabaseWorkPerVend =>
        PgBench is { PostgresCpuMsPerTransaction: > 0 } pg && Providers.FirstOrDefault(p => p.Provider == "postgres") is { } p && PostgresCpuMsPerVend(p) > 0
            ? PostgresCpuMsPerVend(p) / pg.PostgresCpuMsPerTransaction : null;

    private static double PostgresCpuMsPerVend(ProviderResult p) => PerVend(p.Cpu.PostgresPercent * 10, p);

    /// <summary>Every vend accounted for, no request failed, and every part that was asked for ran.</summary>
    public bool Passed => Failures.Count == 0 && Providers.All(p => p.Passed);

    // A rate per second of load as an amount per vend.
    private static double PerVend(double perSecond, ProviderResult p) => p.Load.VendsPerSecond > 0 ? perSecond / p.Load.VendsPerSecond : 0;

    public void WriteTable(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.WriteLine();
        o.WriteLine($"prepay bench vend: {Settings.Clients} clients, {Settings.Duration.TotalSeconds:0} s per provider over HTTP on 127.0.0.1, {Settings.Meters:N0} meters, {ProviderRun.VendAmount} ZAR a vend, 5% of requests retries");
        o.WriteLine();
        o.WriteLine($"{"provider",-10} {"vends/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7} {"lost",5} {"doubled",8} {"retries ok",12} {"cpu prepay",11} {"cpu postgres",13} {"cpu ms/vend",12} {"KiB/vend",9} {"gen0/2 GCs",11}");
        foreach (var p in Providers)
        {
            var retries = p.Check.RetryMismatches == 0 ? $"{p.Check.Retries}/{p.Check.Retries}" : $"{p.Check.Retries - p.Check.RetryMismatches}/{p.Check.Retries}";
            var pgCpu = p.Provider == "postgres" ? $"{p.Cpu.PostgresPercent:0}%" : "-";
            o.WriteLine($"{p.Provider,-10} {p.Load.VendsPerSecond,9:0.0} {p.Latency.P50Ms,8:0.00} {p.Latency.P99Ms,8:0.00} {p.Latency.MaxMs,8:0.00} {p.Load.Errors,7} {p.Check.Lost,5} {p.Check.Doubled,8} {retries,12} {p.Cpu.PrepayPercent,10:0}% {pgCpu,13} {PerVend(p.Cpu.PrepayPercent / 100 * 1000, p),12:0.00} {PerVend(p.Cpu.AllocatedBytes / 1024.0 / p.Load.Elapsed.TotalSeconds, p),9:0} {$"{p.Cpu.Gen0Collections}/{p.Cpu.Gen2Collections}",11}");
        }
        o.WriteLine($"(cpu in % of one core, {Environment.ProcessorCount} cores; 'prepay' is the server and its HTTP clients, which share this process; so are its allocations and collections)");
        o.WriteLine();
        if (PgBench is { } pg)
        {
            o.WriteLine($"pgbench TPC-B, scale {pg.Scale}, {pg.Clients} clients, -j 2, {pg.Seconds} s, -M prepared: {pg.Tps:0.0} tps");
        }
        if (Ratio is { } r)
        {
            o.WriteLine($"postgres vends/s ÷ pgbench TPS = {r:0.000} (target >= {RatioTarget}: {(r >= RatioTarget ? "met" : "not met")})");
        }
        if (DatabaseWorkPerVend is { } work && PgBench is { } tpcb)
        {
            var vendPg = PostgresCpuMsPerVend(Providers.First(p => p.Provider == "postgres"));
            var cores = Providers.First(p => p.Provider == "postgres").Cpu.Cores;
            var ceiling = cores * 1000 / vendPg;
            o.WriteLine($"postgres cpu ms per vend {vendPg:0.00}, per TPC-B transaction {tpcb.PostgresCpuMsPerTransaction:0.00}: a vend is {work:0.0} TPC-B transactions of database work;");
            o.WriteLine($"  with every one of the {cores} cores given to PostgreSQL and none to the server, at most {ceiling:0} vends/s = {ceiling / tpcb.Tps:0.00} of pgbench's TPS");
        }
        foreach (var p in Providers)
        {
            var ledger = p.Check.LedgerProblems.Count == 0 ? "ledger verifies" : $"ledger: {p.Check.LedgerProblems.Count} accounts differ";
            o.WriteLine($"{p.Provider}: {p.Check.Stored:N0} vend rows for {p.Check.Acknowledged:N0} acknowledged ({p.Check.Unacknowledged} stored after a client error), {ledger}, balances sum to {p.Check.BalanceSum}");
            foreach (var problem in p.Check.Problems)
            {
                o.WriteLine($"  FAIL {problem}");
            }
            foreach (var e in p.Load.ErrorSamples)
            {
                o.WriteLine($"  error: {e}");
            }
        }
        foreach (var f in Failures)
        {
            o.WriteLine($"FAIL {f}");
        }
        o.WriteLine(Passed ? "checks passed: no vend lost or doubled" : "checks FAILED");
    }

    public void WriteJson(TextWriter o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var doc = new
        {
            durationSeconds = Settings.Duration.TotalSeconds,
            clients = Settings.Clients,
            meters = Settings.Meters,
            amount = ProviderRun.VendAmount,
            providers = Providers.Select(p => new
            {
                provider = p.Provider,
                vendsPerSecond = Math.Round(p.Load.VendsPerSecond, 1),
                vends = p.Load.Vends,
                p50Ms = Math.Round(p.Latency.P50Ms, 3),
                p99Ms = Math.Round(p.Latency.P99Ms, 3),
                maxMs = Math.Round(p.Latency.MaxMs, 3),
                errors = p.Load.Errors,
                lost = p.Check.Lost,
                doubled = p.Check.Doubled,
                retries = p.Check.Retries,
                retryMismatches = p.Check.RetryMismatches,
                storedVends = p.Check.Stored,
                acknowledgedVends = p.Check.Acknowledged,
                unacknowledgedStored = p.Check.Unacknowledged,
                ledgerVerifies = p.Check.LedgerProblems.Count == 0,
                balanceSum = p.Check.BalanceSum,
                cpuPrepayPercent = Math.Round(p.Cpu.PrepayPercent, 1),
                cpuPostgresPercent = p.Provider == "postgres" ? Math.Round(p.Cpu.PostgresPercent, 1) : (double?)null,
                cpuMsPerVend = Math.Round(PerVend(p.Cpu.PrepayPercent * 10, p), 2),
                allocatedKiBPerVend = Math.Round(PerVend(p.Cpu.AllocatedBytes / 1024.0 / p.Load.Elapsed.TotalSeconds, p), 0),
                gen0Collections = p.Cpu.Gen0Collections,
                gen2Collections = p.Cpu.Gen2Collections,
                passed = p.Passed,
                problems = p.Check.Problems.Concat(p.Load.ErrorSamples.Select(e => "error: " + e)),
            }),
            pgbenchTps = PgBench is { } pg ? Math.Round(pg.Tps, 1) : (double?)null,
            ratio = Ratio is { } r ? Math.Round(r, 3) : (double?)null,
            ratioTarget = RatioTarget,
            ratioMet = RatioMet,
            pgbenchPostgresCpuMsPerTransaction = PgBench is { } t ? Math.Round(t.PostgresCpuMsPerTransaction, 3) : (double?)null,
            postgresCpuMsPerVend = Providers.FirstOrDefault(p => p.Provider == "postgres") is { } pv ? Math.Round(PostgresCpuMsPerVend(pv), 3) : (double?)null,
            databaseWorkPerVend = DatabaseWorkPerVend is { } w ? Math.Round(w, 2) : (double?)null,
            failures = Failures,
            passed = Passed,
        };
        o.WriteLine(JsonSerializer.Serialize(doc, Json));
    }
}
