namespace Prepay.MeterLink.Uplinks;

/// <summary>A batch of interval readings (MQTT v1: the <c>readings</c> topic; DLMS: load profile rows).</summary>
public sealed record IntervalReadings(IReadOnlyList<MeterReading> Readings) : MeterUplink
{
    public bool Equals(IntervalReadings? other) => other is not null && Readings.SequenceEqual(other.Readings);

    public override int GetHashCode() => Readings.Aggregate(17, HashCode.Combine);
}
