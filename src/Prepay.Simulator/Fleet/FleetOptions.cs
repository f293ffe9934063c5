using Prepay.Simulator.Agents;

namespace Prepay.Simulator.Fleet;

/// <summary>How a fleet run goes. Limits: 1 to 100 000 meters, speed 0.1 to 1 000 000, days up to 3 650 (or unbounded), DLMS share 0 to 1.</summary>
public sealed record FleetOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Simulated days to run; null runs until cancelled (the demo).</summary>
    public double? Days { get; init; } = 1;

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed { get; init; } = 60;

    /// <summary>Chance per meter and simulated day that its link drops for 1 to 6 simulated hours.</summary>
    public double LinkDropsPerMeterDay { get; init; } = 0.05;

    /// <summary>Currency of the vends.</summary>
    public string Currency { get; init; } = "ZAR";

    /// <summary>Largest simulated step; when the machine cannot keep up the simulation runs slower rather than coarser.</summary>
    public NodaTime.Duration MaxStep { get; init; } = NodaTime.Duration.FromMinutes(15);

    /// <summary>
    /// Real time between two steps while the fleet keeps up with its speed. Each meter integrates its minutes inside a
    /// step and applies commands and tokens the moment they arrive, so a finer tick changes nothing a meter does, only
    /// how often 200 meters are walked (every 20 ms, it kept more than a core busy at 60x). A step is taken sooner when
    /// the simulated time owed reaches <see cref="MaxStep"/> (high speeds).
    /// </summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long (real time) to wait at the end for credit commands still on their way.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Meters and vends in flight at once.</summary>
    public int Parallelism { get; init; } = 8;

    /// <summary>
    /// The share of the fleet's meters (0 to 1, rounded to whole meters) run as DLMS meters rather than on MQTT, taken
    /// in the order given among those whose decoder reads the server's tokens (<see cref="FleetMeter.TakesTokens"/>);
    /// fewer when not enough do.
    /// </summary>
    public double DlmsShare { get; init; }

    /// <summary>The suite 0 keys the DLMS meters are served with: the server's <c>Dlms:Keys</c>. Needed when <see cref="DlmsShare"/> is above 0.</summary>
    public DlmsFleetKeys? DlmsKeys { get; init; }

    public string? Validate() =>
        Speed is < 0.1 or > 1_000_000 ? "speed must be 0.1 to 1000000"
        : Days is { } d && (d <= 0 || d > 3650) ? "days must be above 0 and at most 3650"
        : LinkDropsPerMeterDay is < 0 or > 24 ? "link drops per meter-day must be 0 to 24"
        : Parallelism is < 1 or > 256 ? "parallelism must be 1 to 256"
        : Tick < TimeSpan.FromMilliseconds(1) || Tick > TimeSpan.FromSeconds(10) ? "tick must be 1 ms to 10 s"
        : DlmsShare is < 0 or > 1 || double.IsNaN(DlmsShare) ? "DLMS share must be 0 to 1"
        : DlmsShare > 0 && DlmsKeys is null ? "a DLMS share needs the DLMS keys the server holds"
        : null;
}
