using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>A keyed-in token was accepted; <paramref name="CreditAddedWh"/> is what reached the credit register (after emergency repayment).</summary>
public sealed record TokenAccepted(Instant At, string Description, long TokenWh, long CreditAddedWh) : MeterOutput(At);
