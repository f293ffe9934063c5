using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>
/// The meter gave its credit up to the server at the reading boundary <paramref name="At"/>: the register
/// (<paramref name="CreditWh"/>, negative after friendly-hours debt) and the emergency credit still owed
/// (<paramref name="EmergencyOwedWh"/>) as they stood after the reading ending there; both are zero afterwards.
/// </summary>
public sealed record CreditHandedOver(Instant At, long CreditWh, long EmergencyOwedWh) : MeterOutput(At);
