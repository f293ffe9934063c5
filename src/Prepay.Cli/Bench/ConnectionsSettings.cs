namespace Prepay.Cli.Bench;

/// <summary>What <c>prepay bench connections</c> was asked for, with its limits.</summary>
public sealed record ConnectionsSettings
{
    /// <summary>
    /// Loopback connections from one address to one port each take a local port; Linux's default range
    /// (32768-60999) has about 28,000, and the reference's connections need their own.
    /// </summary>
    public const int MaxMeters = 25_000;

    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(10);

    /// <summary>Connections being opened at once, by the meters and by the reference alike (the broker's listen backlog is 100).</summary>
    public const int Parallel = 64;

    public int Meters { get; init; } = 10_000;

    public TimeSpan Hold { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Meters that get a command while all are connected: 1 %, at least 10, at most 500.</summary>
    public int CommandSample => Math.Min(Meters, Math.Clamp(Meters / 100, 10, 500));

    /// <summary>The longest each side may take to connect: a minute, plus 10 ms per connection, at most 5 minutes.</summary>
    public TimeSpan ConnectLimit => TimeSpan.FromSeconds(Math.Min(300, 60 + Meters / 100.0));

    /// <summary>The whole run's hard limit: both sides connecting, the hold, and two minutes for starting and closing.</summary>
    public TimeSpan HardLimit => ConnectLimit * 2 + Hold + TimeSpan.FromMinutes(2);

    /// <summary>Open files each process needs: one per connection, plus the runtime's and the database's.</summary>
    public long FilesNeeded => Meters + OpenFileLimit.Headroom;

    public string? Problem() =>
        Meters is < 1 or > MaxMeters ? $"--meters must be 1 to {MaxMeters} (loopback has about 28,000 local ports)"
        : Hold < TimeSpan.FromSeconds(1) || Hold > MaxHold ? "--hold must be 1s to 10m"
        : Heartbeat < TimeSpan.FromSeconds(1) || Heartbeat > MaxHold ? "--heartbeat must be 1s to 10m"
        : null;
}
