using NodaTime;

namespace Prepay.MeterLink.Uplinks;

/// <summary>
/// Voltage, current and power at one instant, read on their own (DLMS: registers 1.0.32.7.0.255, 1.0.31.7.0.255,
/// 1.0.1.7.0.255). MQTT v1 has no message of its own for them: they ride in each interval reading.
/// </summary>
public sealed record InstantaneousValues(Instant At, int VoltageDv, int CurrentMa, int PowerW) : MeterUplink;
