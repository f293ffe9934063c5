using NodaTime;

namespace Prepay.Simulation;

/// <summary>One deterministic run: its seed, the guards it keeps, and the size of its world.</summary>
public sealed record SimulationOptions
{
    public required long Seed { get; init; }

    /// <summary>The guards in force; a test switches one off to see it caught.</summary>
    public Guards Guards { get; init; } = Guards.All;

    public int Nodes { get; init; } = 3;

    public int Meters { get; init; } = 6;

    public int Buyers { get; init; } = 3;

    /// <summary>How long buyers buy, operators act and faults happen; then the world is left to settle.</summary>
    public Duration Busy { get; init; } = Duration.FromHours(3);

    /// <summary>How long the world may take to settle once faults stop: every answer given, command acknowledged, message stored, alert sent.</summary>
    public Duration Settle { get; init; } = Duration.FromMinutes(30);

    /// <summary>The one command that runs this seed again, exactly.</summary>
    public string ReplayCommand =>
        $"prepay simulate --deterministic --seed {Seed}" + (Guards == Guards.All ? "" : $" --without {GuardNames.Format(Guards.All & ~Guards)}");
}

/// <summary>
/// How hostile this seed's world is, drawn from the seed: each run gets its own mix, from calm to rough, so that
/// a thousand seeds cover quiet networks, lossy ones, a database that fails a write in ten and nodes that die often.
/// </summary>
internal sealed record FaultPlan
{
    /// <summary>A message between a meter and the broker is lost (the sender's retransmission brings it later).</summary>
    public required double Loss { get; init; }

    /// <summary>A message arrives twice.</summary>
    public required double Duplicate { get; init; }

    /// <summary>The most a message may wait on the way: messages overtake each other within it.</summary>
    public required Duration Jitter { get; init; }

    /// <summary>A database write fails (nothing written, the writer is told).</summary>
    public required double WriteFailure { get; init; }

    /// <summary>A database write takes seconds instead of milliseconds.</summary>
    public required double SlowWrite { get; init; }

    /// <summary>Database outages during the busy time (a failover): every write fails while one lasts.</summary>
    public required int DatabaseOutages { get; init; }

    /// <summary>Node crashes during the busy time (each node restarts a while later).</summary>
    public required int Crashes { get; init; }

    /// <summary>The most a node's clock is off the true time, either way.</summary>
    public required Duration MaxSkew { get; init; }

    public static FaultPlan Draw(Random random) => new()
    {
        Loss = random.NextDouble() * 0.15,
        Duplicate = random.NextDouble() * 0.15,
        Jitter = Duration.FromMilliseconds(random.Next(10, 4_000)),
        WriteFailure = random.NextDouble() * 0.1,
        SlowWrite = random.NextDouble() * 0.1,
        Crashes = random.Next(0, 9),
        DatabaseOutages = random.Next(0, 3),
        MaxSkew = Duration.FromMilliseconds(random.Next(0, 2_001)),
    };

    /// <summary>After the busy time: a calm network and database, so the world can settle.</summary>
    public static FaultPlan Calm { get; } = new()
    {
        Loss = 0, Duplicate = 0, Jitter = Duration.FromMilliseconds(10), WriteFailure = 0, SlowWrite = 0, Crashes = 0, DatabaseOutages = 0, MaxSkew = Duration.Zero,
    };
}
