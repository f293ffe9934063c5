using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Supply voltage rose above the over-voltage limit (once per excursion).</summary>
public sealed record OverVoltage(Instant At, int VoltageDeciVolts) : MeterOutput(At);
