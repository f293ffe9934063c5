using NodaTime;

namespace Prepay.Meter.Events;

/// <summary>
/// Registers at <paramref name="At"/>: the energy register, the Wh since the previous interval reading, credit,
/// and instantaneous voltage (0.1 V), current (mA) and active power (W).
/// </summary>
public sealed record Reading(
    Instant At,
    ReadingKind Kind,
    long EnergyWh,
    long DeltaWh,
    long CreditWh,
    int VoltageDeciVolts,
    int CurrentMilliAmps,
    int ActivePowerWatts) : MeterOutput(At);
