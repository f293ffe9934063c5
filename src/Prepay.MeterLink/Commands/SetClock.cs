using NodaTime;

namespace Prepay.MeterLink.Commands;

/// <summary>
/// Sets the meter's clock (DLMS: the clock object's time attribute, IEC 62056-6-2 class 8). MQTT v1 has no such
/// command (an MQTT meter keeps its own time), so the MQTT transport refuses it as unsupported.
/// </summary>
public sealed record SetClock(Instant At) : MeterCommand;
