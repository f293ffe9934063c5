namespace Prepay.Cli.Bench;

/// <summary>What <c>prepay bench topup</c> was asked for, with its limits.</summary>
public sealed record TopUpSettings
{
    /// <summary>Meters topped up (and waited for) one by one before the measured top-ups, so the run measures a warm server.</summary>
    public const int WarmUp = 10;

    /// <summary>Simulated seconds per real second for the fleet: each meter publishes a reading every 1.5 s.</summary>
    public const double FleetSpeed = 600;

    /// <summary>Meters logged in as meters but driven by a bare publisher, for the reference round trip.</summary>
    public const int ReferenceMeters = 4;

    /// <summary>The product's aim: a top-up closes the meter's relay within this, at the 99th percentile.</summary>
    public static readonly TimeSpan P99Aim = TimeSpan.FromSeconds(1);

    /// <summary>Each measured top-up: 3.5 kWh on the flat residential tariff.</summary>
    public const string Amount = "10.00";

    /// <summary>Each run-down customer's earlier purchase: small, so that the meter runs down again quickly.</summary>
    public const string EarlierAmount = "1.00";

    public int Meters { get; init; } = 1000;

    public int TopUps { get; init; } = 300;

    /// <summary>Top-ups sent per second, at a steady pace whatever the answers take.</summary>
    public double Rate { get; init; } = 10;

    /// <summary>Admin connection string of a loopback PostgreSQL; SQLite without it.</summary>
    public string? Postgres { get; init; }

    public string RunId { get; } = Guid.NewGuid().ToString("N")[..10];

    public string Provider => Postgres is null ? "sqlite" : "postgres";

    /// <summary>Meters run down to zero credit: the measured ones and the warm-up's.</summary>
    public int Targets => TopUps + WarmUp;

    public string? Problem() =>
        Meters is < 20 or > 5000 ? "--meters must be 20 to 5000"
        : TopUps < 1 || TopUps > Meters - WarmUp ? $"--topups must be 1 to --meters minus {WarmUp} (each top-up goes to a meter of its own, after {WarmUp} to warm up)"
        : double.IsNaN(Rate) || Rate < 0.5 || Rate > 200 ? "--rate must be 0.5 to 200 (top-ups per second)"
        : null;
}
