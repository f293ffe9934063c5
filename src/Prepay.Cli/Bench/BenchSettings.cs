namespace Prepay.Cli.Bench;

/// <summary>
/// What <c>prepay bench vend</c> runs. Limits: 1 to 600 s, 1 to 256 clients, 1 to 5,000 meters; PostgreSQL and
/// pgbench on a loopback address only.
/// </summary>
public sealed record BenchSettings
{
    public const int MaxSeconds = 600;
    public const int MaxClients = 256;
    public const int DemoMeters = 24;
    public const int MaxMeters = 5000;

    /// <summary>
    /// A utility's meters each buy a few times a month; sixteen clients selling to 24 meters without pause would
    /// measure row-lock queues on those meters and month-to-date sums over hundreds of their vends instead.
    /// </summary>
    public const int DefaultMeters = 1000;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(15);
    public int Clients { get; init; } = 16;

    /// <summary>
    /// Distinct meters the vends are spread over: up to 24 the first of the demo meters (token and smart, flat, block
    /// and time-of-use tariffs); beyond, all of them and smart meters on the flat tariff, each with its customer.
    /// </summary>
    public int Meters { get; init; } = DefaultMeters;

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
        : Meters is < 1 or > MaxMeters ? $"--meters must be 1 to {MaxMeters}"
        : PgPort is < 1 or > 65535 ? "--pg-port must be 1 to 65535"
        : PgHost is { } h && !PostgresScratch.IsLoopback(h) ? "--pg-host must be a loopback address (127.0.0.1)"
        : PgBench is { } p && !File.Exists(p) ? $"--pgbench '{p}' does not exist"
        : null;
}
