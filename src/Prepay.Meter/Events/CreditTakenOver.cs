using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>
/// The meter took the customer's credit back from the server at the reading boundary <paramref name="At"/>:
/// <paramref name="CreditWh"/> is the credit the server handed it (the command's), added to the register.
/// </summary>
public sealed record CreditTakenOver(Instant At, long CreditWh) : MeterOutput(At);
