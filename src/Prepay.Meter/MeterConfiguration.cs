using NodaTime;
using Prepay.Meter.Credit;
using Prepay.Meter.Load;
using Prepay.Sts.Meter;

namespace Prepay.Meter;

/// <summary>How a virtual meter is built: identity, load, STS decoder, credit policy and start instant.</summary>
public sealed record MeterConfiguration
{
    /// <summary>The meter number (for the transport; the meter itself does not use it).</summary>
    public required string MeterId { get; init; }

    /// <summary>Seeds the load and voltage; same seed and inputs give the same outputs.</summary>
    public required long Seed { get; init; }

    /// <summary>The meter's clock at construction.</summary>
    public required Instant Start { get; init; }

    /// <summary>
    /// The key the head-end signs this meter's remote commands with (32 bytes, provisioned as its broker password
    /// is; docs/mqtt.md, Signed commands). Empty: no key, so every remote command is refused as forged.
    /// </summary>
    public ReadOnlyMemory<byte> CommandKey { get; init; }

    /// <summary>The STS decoder's initial state: decoder key, algorithm, base date, SGC, TI.</summary>
    public required MeterState Sts { get; init; }

    /// <summary>The customer kind.</summary>
    public LoadShape Shape { get; init; } = LoadShape.Residential;

    /// <summary>IANA zone of the premises: load curves and friendly hours are local.</summary>
    public string ZoneId { get; init; } = "Africa/Johannesburg";

    /// <summary>Scales the shape's demand (100 = as designed).</summary>
    public int LoadScalePercent { get; init; } = 100;

    /// <summary>Month of the heating peak: 7 south of the equator, 1 north.</summary>
    public int WinterPeakMonth { get; init; } = 7;

    /// <summary>The initial credit policy (thresholds and friendly hours change later by command).</summary>
    public CreditPolicy Policy { get; init; } = new();

    /// <summary>Credit in the register at start.</summary>
    public long InitialCreditWh { get; init; }

    /// <summary>Maximum power before an overload trip; null or 0 = none (a class 2 token may set it).</summary>
    public int? MaximumPowerWatts { get; init; }

    /// <summary>How long after an overload trip the meter tries to reconnect.</summary>
    public int OverloadRetrySeconds { get; init; } = 300;
}
