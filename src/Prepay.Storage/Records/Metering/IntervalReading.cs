using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>
/// A meter's reading at the end of a 15-minute interval: the energy register and what it added, with the
/// instantaneous values at that moment. One row per meter and instant: a repeated reading is refused by the key.
/// </summary>
public sealed class IntervalReading
{
    public Guid MeterId { get; init; }
    public Instant At { get; init; }
    public long EnergyWh { get; init; }
    public long DeltaWh { get; init; }
    public long CreditWh { get; init; }
    public int VoltageDv { get; init; }
    public int CurrentMa { get; init; }
    public int PowerW { get; init; }

    /// <summary>
    /// How far it can be trusted (<c>Prepay.MeterData</c>'s validation): <c>valid</c>, <c>estimated</c> (made up for
    /// a gap, replaced when the real values arrive), <c>edited</c> (by an operator, audited) or <c>suspect</c>.
    /// </summary>
    public string Quality { get; init; } = "valid";

    /// <summary>The rule that made a reading suspect (<c>spike</c>, <c>roll-back</c>, …), or how an estimate was made (<c>linear</c>).</summary>
    public string? QualityRule { get; init; }
}
