using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>A magnetic field was detected near the meter (latched until cleared).</summary>
public sealed record MagneticTamper(Instant At) : MeterOutput(At);
