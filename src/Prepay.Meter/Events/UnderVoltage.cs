using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Supply voltage fell below the under-voltage limit (once per excursion).</summary>
public sealed record UnderVoltage(Instant At, int VoltageDeciVolts) : MeterOutput(At);
