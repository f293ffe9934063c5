using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>The relay closed: supply restored to the customer.</summary>
public sealed record RelayClosed(Instant At) : MeterOutput(At);
