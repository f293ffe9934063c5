using NodaTime;

namespace Prepay.RevenueProtection;

/// <summary>
/// The detectors' thresholds (section <c>RevenueProtection</c>). The defaults were set on simulated fleets of seeds
/// other than those the precision and recall are measured on (tests/Prepay.RevenueProtection.Tests).
/// </summary>
public sealed record DetectionOptions
{
    /// <summary>An interval counts as consumption while disconnected above this many Wh (a register's last tick).</summary>
    public long OpenIntervalWh { get; init; } = 5;

    /// <summary>...and a finding needs at least this many such intervals.</summary>
    public int OpenIntervals { get; init; } = 2;

    /// <summary>Days of a meter's own history a drop is measured against.</summary>
    public int BaselineDays { get; init; } = 7;

    /// <summary>Days a drop must last to be a suspicion.</summary>
    public int DropDays { get; init; } = 3;

    /// <summary>A drop: consumption at most this share of the meter's baseline, in percent.</summary>
    public int DropPercent { get; init; } = 20;

    /// <summary>...while the site's other meters kept at least this share of theirs, in percent (a site-wide fall is not a bypass).</summary>
    public int NeighboursKeptPercent { get; init; } = 60;

    /// <summary>Meters using less than this a day before (Wh) are too small to judge a drop by.</summary>
    public long BaselineWhPerDay { get; init; } = 1_000;

    /// <summary>A drop while the relay was open or the supply off for more than this share (percent) is explained by that.</summary>
    public int ExplainedPercent { get; init; } = 25;

    /// <summary>A drop is judged only over days with readings for at least this share (percent) of their quarter hours.</summary>
    public int ReadingCoveragePercent { get; init; } = 90;

    /// <summary>Overload trips within a day that make it persistent.</summary>
    public int OverloadTripsPerDay { get; init; } = 3;

    /// <summary>Voltage limits, 0.1 V: 230 V ± 10 %.</summary>
    public int HighDeciVolts { get; init; } = 2530;

    public int LowDeciVolts { get; init; } = 2070;

    /// <summary>Consecutive readings out of limits that make it abnormal (four 15-minute readings: an hour).</summary>
    public int ReadingsOutOfLimits { get; init; } = 4;

    /// <summary>Voltage excursions (events) within a day that make it abnormal.</summary>
    public int ExcursionsPerDay { get; init; } = 3;

    /// <summary>A meter silent this long while its site's other meters report.</summary>
    public Duration SilentAfter { get; init; } = Duration.FromHours(6);

    /// <summary>Outages of several meters of a site starting within this of each other are one.</summary>
    public Duration OutageTogether { get; init; } = Duration.FromMinutes(5);

    /// <summary>Meters that make a site outage: at least this many, and at least <see cref="OutageSharePercent"/> of the site.</summary>
    public int OutageMeters { get; init; } = 3;

    public int OutageSharePercent { get; init; } = 30;

    /// <summary>How long a smart meter may take to acknowledge credit sold before it counts as not registered.</summary>
    public Duration RegistrationGrace { get; init; } = Duration.FromDays(1);

    /// <summary>How long a customer may take to type a token before it counts as never entered.</summary>
    public Duration TokenEntryGrace { get; init; } = Duration.FromDays(3);
}
