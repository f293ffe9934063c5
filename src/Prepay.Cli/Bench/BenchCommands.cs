using System.CommandLine;
using Npgsql;
using Prepay.Cli.Hosting;

namespace Prepay.Cli.Bench;

/// <summary>
/// <c>prepay bench vend [--duration S] [--clients N] [--meters N] [--postgres CONN [--pgbench PATH] [--pg-host H] [--pg-port P]] [--sqlite-only] [--json]</c>:
/// vends per second end to end over HTTP with p50/p99 latency on SQLite and PostgreSQL, beside pgbench's TPC-B
/// TPS on the same PostgreSQL server, and a check that no vend was lost or doubled. Exit code 1 when a check
/// fails, 2 for bad options; a missed throughput target is reported, not failed.
/// </summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var duration = new Option<int>("--duration") { Description = "Seconds of timed load per provider (default 15, at most 600)", DefaultValueFactory = _ => 15 };
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients, one request at a time each (default 16, at most 256)", DefaultValueFactory = _ => 16 };
        var meters = new Option<int>("--meters")
        {
            Description = $"Distinct meters to spread the vends over: up to 24 the demo meters, beyond them smart meters on the flat tariff (default {BenchSettings.DefaultMeters})",
            DefaultValueFactory = _ => BenchSettings.DefaultMeters,
        };
        var postgres = new Option<string?>("--postgres") { Description = "Admin connection string of a loopback PostgreSQL; the bench creates and drops its own databases. Without it only SQLite runs" };
        var pgbench = new Option<string?>("--pgbench") { Description = "Path of pgbench, to run TPC-B on the same server for comparison" };
        var pgHost = new Option<string?>("--pg-host") { Description = "Host for pgbench (default the connection string's, loopback only)" };
        var pgPort = new Option<int?>("--pg-port") { Description = "Port for pgbench (default the connection string's)" };
        var sqliteOnly = new Option<bool>("--sqlite-only") { Description = "Run SQLite only, even with --postgres" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the table (progress goes to stderr)" };

        var vend = new Command("vend", "Vends per second over HTTP on SQLite and PostgreSQL, p50/p99 latency, pgbench TPS beside, no vend lost or doubled.")
        {
            duration, clients, meters, postgres, pgbench, pgHost, pgPort, sqliteOnly, json,
        };
        vend.SetAction(async (r, ct) =>
        {
            var settings = new BenchSettings
            {
                Duration = TimeSpan.FromSeconds(r.GetValue(duration)),
                Clients = r.GetValue(clients),
                Meters = r.GetValue(meters),
                Postgres = r.GetValue(postgres),
                PgBench = r.GetValue(pgbench),
                PgHost = r.GetValue(pgHost),
                PgPort = r.GetValue(pgPort),
                SqliteOnly = r.GetValue(sqliteOnly),
            };
            if ((settings.Problem() ?? PostgresProblem(settings.Postgres)) is { } problem)
            {
                await Console.Error.WriteLineAsync($"prepay: {problem}");
                return CommandLine.BadInput;
            }
            var asJson = r.GetValue(json);
            var log = asJson ? Console.Error : Console.Out;
            var report = await VendBench.RunAsync(settings, log, ct);
            if (asJson)
            {
                report.WriteJson(Console.Out);
            }
            else
            {
                report.WriteTable(Console.Out);
            }
            return report.Passed ? 0 : 1;
        });
        return new Command("bench", "Benchmarks of the running system.")
        {
            vend, IngestBench.Create(PostgresProblem), CentralCreditBench.Create(PostgresProblem), ImportBench.Create(PostgresProblem), ConnectionsBench.Create(), TopUpBench.Create(PostgresProblem), DlmsBench.Create(), DemoIdleBench.Create(), NodesBench.Create(PostgresProblem), ConnectionsPeer.Create(),
        };
    }

    private static string? PostgresProblem(string? connectionString)
    {
        if (connectionString is null)
        {
            return null;
        }
        try
        {
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            return b.Host is { } h && PostgresScratch.IsLoopback(h) ? null : "--postgres must name a loopback server (Host=127.0.0.1)";
        }
        catch (ArgumentException e)
        {
            return $"--postgres: {e.Message}";
        }
    }
}
