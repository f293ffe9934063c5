using Npgsql;

namespace Prepay.Cli.Bench;

/// <summary>
/// A database of the benchmark's own on the given server, <c>prepay_bench_&lt;random&gt;[_suffix]</c>, dropped
/// afterwards. Loopback servers only: the benchmark creates and drops databases and loads the server.
/// </summary>
public sealed class PostgresScratch : IAsyncDisposable
{
    private readonly string _admin;

    private PostgresScratch(string admin, string name, string connectionString)
    {
        _admin = admin;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>The new database, with connection pooling on (as a server runs it) whatever the admin string says.</summary>
    public string ConnectionString { get; }

    public static bool IsLoopback(string host) => host is "127.0.0.1" or "localhost" or "::1";

    /// <summary>
    /// Runs a bench on SQLite, then, given an admin connection string, on a scratch PostgreSQL database of its own
    /// (<paramref name="suffix"/> names it), dropped after: each run gets the storage settings of its provider.
    /// </summary>
    public static async Task<List<T>> OnEachProviderAsync<T>(string? postgresAdmin, string runId, string suffix, TextWriter log,
        Func<string, Dictionary<string, string?>, Task<T>> run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(run);
        var results = new List<T> { await run("sqlite", new() { ["Storage:Provider"] = nameof(Storage.DatabaseProvider.Sqlite), ["Storage:ConnectionString"] = null }) };
        if (postgresAdmin is { } admin)
        {
            await using var db = await CreateAsync(admin, runId, suffix, 50, ct);
            log.WriteLine($"[postgres] database {db.Name}");
            results.Add(await run("postgres", new() { ["Storage:Provider"] = nameof(Storage.DatabaseProvider.Postgres), ["Storage:ConnectionString"] = db.ConnectionString }));
        }
        return results;
    }

    public static async Task<PostgresScratch> CreateAsync(string adminConnectionString, string runId, string? suffix, int maxPoolSize, CancellationToken ct)
    {
        var name = $"prepay_bench_{runId}{(suffix is null ? "" : "_" + suffix)}";
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var cs = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = name, Pooling = true, MaxPoolSize = maxPoolSize }.ConnectionString;
        return new PostgresScratch(adminConnectionString, name, cs);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }
}
