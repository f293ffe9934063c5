using NodaTime;

namespace Prepay.Storage.Records.Metering;

/// <summary>
/// A stored interval's energy changed after it was first stored: an estimate replaced by the meter's real value, or
/// an operator's edit. Insert-only; central credit prices and posts <c>NewWh − PreviousWh</c> at the interval's own
/// tariff, once per row, so the central balance ends as if the right value had been there from the start.
/// </summary>
public sealed class ReadingAdjustment
{
    public long Id { get; init; }
    public Guid MeterId { get; init; }

    /// <summary>The interval's end (the reading's key, <see cref="IntervalReading.At"/>).</summary>
    public Instant At { get; init; }

    public long PreviousWh { get; init; }
    public long NewWh { get; init; }

    /// <summary><c>replaced</c> (real values for an estimate) or <c>edited</c>.</summary>
    public required string Cause { get; init; }

    public Instant RecordedAt { get; init; }
}
