using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>A clear-tamper token or command cleared the latched tamper alarms.</summary>
public sealed record TamperCleared(Instant At) : MeterOutput(At);
