using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>Emergency credit was taken; it is repaid from the next credit added.</summary>
public sealed record EmergencyCreditActivated(Instant At, long AmountWh) : MeterOutput(At);
