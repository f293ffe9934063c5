using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation;

/// <summary>
/// What a rule found about a reading. <see cref="Suspect"/> outcomes keep the reading out of pricing until an
/// operator looks; the others describe a reading that may be used (a duplicate is simply ignored).
/// </summary>
public abstract record ReadingOutcome(string Rule)
{
    /// <summary>Whether the reading must not be trusted as it is.</summary>
    public abstract bool Suspect { get; }
}

/// <summary>Every configured rule passed.</summary>
public sealed record Valid() : ReadingOutcome("valid")
{
    public override bool Suspect => false;
}

/// <summary>The same interval with the same values was stored before: a resend, ignored (idempotent).</summary>
public sealed record Duplicate(IntervalReading Stored) : ReadingOutcome(Rules.SameIntervalRule.Name)
{
    public override bool Suspect => false;
}

/// <summary>The same interval was stored before with other values: the stored one stands until an operator decides.</summary>
public sealed record Conflict(IntervalReading Stored) : ReadingOutcome(Rules.SameIntervalRule.Name)
{
    public override bool Suspect => true;
}

/// <summary>The real values of an interval that was estimated: they replace the estimate (<see cref="Replacement.Replacements"/>).</summary>
public sealed record ReplacesEstimate(IntervalReading Estimate) : ReadingOutcome(Rules.SameIntervalRule.Name)
{
    public override bool Suspect => false;
}

/// <summary>More energy than the meter can measure in the span at its full rating.</summary>
public sealed record Spike(Energy Measured, Energy Rating, Duration Span) : ReadingOutcome(Rules.SpikeRule.Name)
{
    public override bool Suspect => true;
}

/// <summary>The register went backwards by more than a wrap could explain.</summary>
public sealed record RollBack(Energy Earlier, Energy Later) : ReadingOutcome(Rules.RollBackRule.Name)
{
    public override bool Suspect => true;
}

/// <summary>The register wrapped at its capacity; <see cref="TrueDelta"/> is the energy really used since the previous reading.</summary>
public sealed record RollOver(Energy Previous, Energy Current, Energy TrueDelta) : ReadingOutcome(Rules.RollOverRule.Name)
{
    public override bool Suspect => false;
}

/// <summary>The meter's clock is off the head-end's by more than the tolerance (positive: meter ahead).</summary>
public sealed record ClockDrift(Duration Drift) : ReadingOutcome(Rules.ClockDriftRule.Name)
{
    public override bool Suspect => true;
}

/// <summary>The interval ends after the server's clock plus the tolerance.</summary>
public sealed record FromTheFuture(Duration Ahead) : ReadingOutcome(Rules.FromTheFutureRule.Name)
{
    public override bool Suspect => true;
}

/// <summary>Intervals missing between the previous reading and this one; the reading itself may be fine.</summary>
public sealed record Gap(IntervalReading? Before, IReadOnlyList<Interval> Missing) : ReadingOutcome(Rules.GapRule.Name)
{
    public override bool Suspect => false;

    public Instant From => Missing[0].Start;
    public Instant To => Missing[^1].End;
}
