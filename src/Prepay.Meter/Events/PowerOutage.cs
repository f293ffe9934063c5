using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Mains supply lost: no consumption, no readings until restored.</summary>
public sealed record PowerOutage(Instant At) : MeterOutput(At);
