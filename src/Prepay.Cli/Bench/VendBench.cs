using Npgsql;
using Prepay.Storage;

namespace Prepay.Cli.Bench;

/// <summary>The whole run: SQLite, then PostgreSQL in a database of its own, then pgbench on the same server.</summary>
public static class VendBench
{
    public static async Task<BenchReport> RunAsync(BenchSettings s, TextWriter log, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(log);
        var results = new List<ProviderResult>();
        var failures = new List<string>();
        PgBench.Result? pgbench = null;

        results.Add(await ProviderRun.RunAsync("sqlite", new Dictionary<string, string?>
        {
            ["Storage:Provider"] = nameof(DatabaseProvider.Sqlite),
            ["Storage:ConnectionString"] = null,
        }, s, log, ct));

        if (s.Postgres is { } admin && !s.SqliteOnly)
        {
            await using (var db = await PostgresScratch.CreateAsync(admin, s.RunId, null, Math.Max(100, s.Clients * 2), ct))
            {
                log.WriteLine($"[postgres] database {db.Name} (connection pooling on)");
                results.Add(await ProviderRun.RunAsync("postgres", new Dictionary<string, string?>
                {
                    ["Storage:Provider"] = nameof(DatabaseProvider.Postgres),
                    ["Storage:ConnectionString"] = db.ConnectionString,
                }, s, log, ct));
            }
            if (s.PgBench is { } pgbenchPath)
            {
                var b = new NpgsqlConnectionStringBuilder(admin);
                await using var db = await PostgresScratch.CreateAsync(admin, s.RunId, "tpcb", 10, ct);
                log.WriteLine($"[pgbench] database {db.Name}");
                try
                {
                    pgbench = await PgBench.RunAsync(pgbenchPath, s.PgHost ?? b.Host ?? "127.0.0.1", s.PgPort ?? b.Port, b.Username ?? "postgres", b.Password,
                        db.Name, s.Clients, (int)s.Duration.TotalSeconds, log, ct);
                }
                catch (InvalidOperationException e)
                {
                    failures.Add($"pgbench: {e.Message}");
                }
            }
        }
        return new BenchReport(s, results, pgbench, failures);
    }
}
