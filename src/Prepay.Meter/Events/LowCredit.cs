using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Credit fell to or below the low-credit threshold; once per crossing, re-armed when credit rises above it.</summary>
public sealed record LowCredit(Instant At, long CreditWh, long ThresholdWh) : MeterOutput(At);
