namespace Prepay.MeterLink.Uplinks;

/// <summary>A batch of events (MQTT v1: the <c>events</c> topic; DLMS: event notifications and event log rows).</summary>
public sealed record MeterEvents(IReadOnlyList<MeterEvent> Events) : MeterUplink
{
    public bool Equals(MeterEvents? other) => other is not null && Events.SequenceEqual(other.Events);

    public override int GetHashCode() => Events.Aggregate(17, HashCode.Combine);
}
