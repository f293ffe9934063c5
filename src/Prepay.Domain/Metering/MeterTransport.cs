namespace Prepay.Domain.Metering;

/// <summary>
/// How the head-end reaches a meter: its commands go out, and what it sends comes in, over this. Stored and shown in
/// lower case (<c>mqtt</c>, <c>dlms</c>).
/// </summary>
public enum MeterTransport
{
    /// <summary>Prepay's MQTT v1 scheme (docs/mqtt.md): the default.</summary>
    Mqtt,

    /// <summary>DLMS/COSEM (IEC 62056) over TCP.</summary>
    Dlms,
}
