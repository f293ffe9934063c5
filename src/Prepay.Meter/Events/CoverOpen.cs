using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>The terminal cover was opened (latched until a clear-tamper token or command).</summary>
public sealed record CoverOpen(Instant At) : MeterOutput(At);
