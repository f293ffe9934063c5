namespace Prepay.Meter.Credit;

/// <summary>Where the customer's credit is held (MQTT <c>setCreditMode</c>, docs/mqtt.md).</summary>
public enum CreditMode
{
    /// <summary>In the meter's own register: counted down by consumption, the meter cuts supply by its own credit rules.</summary>
    Meter,

    /// <summary>On the server: the meter counts nothing down and is connected or disconnected by the server only.</summary>
    Central,
}
