using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Estimation;

/// <summary>What estimation made of a gap.</summary>
public abstract record GapEstimate;

/// <summary>One estimated reading per missing interval, each flagged <see cref="ReadingSource.Estimated"/>.</summary>
public sealed record Estimated(IReadOnlyList<IntervalReading> Readings, EstimationMethod Method) : GapEstimate;

/// <summary>The gap stays open and is only reported: estimation is off, the gap too long, or nothing to base it on.</summary>
public sealed record NotEstimated(string Reason) : GapEstimate
{
    public const string Disabled = "estimation-disabled";
    public const string TooLong = "gap-too-long";
    public const string NoProfile = "no-profile";

    /// <summary>The reading after the gap failed a rule: nothing is made up from it.</summary>
    public const string SuspectEnd = "suspect-end";
}
