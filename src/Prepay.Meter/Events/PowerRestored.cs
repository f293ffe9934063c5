using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Mains supply back.</summary>
public sealed record PowerRestored(Instant At) : MeterOutput(At);
