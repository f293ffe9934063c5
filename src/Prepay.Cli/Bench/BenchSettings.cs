namespace Prepay.Cli.Bench;

/// <summary>
/// What <c>prepay bench vend</c> runs. Limits: 1 to 600 s, 1 to 256 clients, 1 to all 24 demo meters; PostgreSQL
/// and pgbench on a loopback address only.
/// </summary>
public sealed record BenchSettings
{
    public const int MaxSeconds = 600;
    public const int MaxClients = 256;
    public const int DemoMeters = 24;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public int Clients { get; init; } = 16;

    /// <summary>Distinct meters the vends are spread over; all demo meters when null.</summary>
    public int? Meters { get; init; }

    /// <summary>Admin connection string; without it only SQLite runs.</summary>
    public string? Postgres { get; init; }

    public string? PgBench { get; init; }
    public string? PgHost { get; init; }
    public int? PgPort { get; init; }
    public bool SqliteOnly { get; init; }

    /// <summary>Names the run's databases, idempotency keys and temporary folders.</summary>
    public string RunId { get; init; } = Guid.NewGuid().ToString("N")[..10];

    public int Seed { get; init; } = 20261123;

    /// <summary>
    /// A third of the run, between one and ten seconds: pools, caches, the first vend per meter, and the JIT's
    /// second, optimised compilation of the hot code, which on two busy cores takes several seconds to catch up.
    /// </summary>
    public TimeSpan Warmup => TimeSpan.FromSeconds(Math.Clamp(Duration.TotalSeconds / 3, 1, 10));

    /// <summary>The first problem with these settings, or null.</summary>
    public string? Problem() =>
        Duration < TimeSpan.FromSeconds(1) || Duration > TimeSpan.FromSeconds(MaxSeconds) ? $"--duration must be 1 to {MaxSeconds} seconds"
        : Clients is < 1 or > MaxClients ? $"--clients must be 1 to {MaxClients}"
        : Meters is < 1 or > DemoMeters ? $"--meters must be 1 to {DemoMeters} (the demo meters)"
        : PgPort is < 1 or > 65535 ? "--pg-port must be 1 to 65535"
        : PgHost is { } h && !PostgresScratch.IsLoopback(h) ? "--pg-host must be a loopback address (127.0.0.1)"
        : PgBench is { } p && !File.Exists(p) ? $"--pgbench '{p}' does not exist"
        : null;
}
