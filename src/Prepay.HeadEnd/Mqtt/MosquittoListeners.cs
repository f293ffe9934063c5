namespace Prepay.HeadEnd.Mqtt;

/// <summary>
/// The ports of a generated Mosquitto: meters' plain listener (loopback), the head-end's own listener (loopback; the
/// server's <c>Mqtt:Port</c>), and the meters' TLS listener when <c>Mqtt:Tls</c> is set (its port, or
/// <c>Mqtt:Tls:Port</c> when null).
/// </summary>
public sealed record MosquittoListeners(int MeterPort, int ServicePort, int? TlsPort = null)
{
    public string? Validate() =>
        MeterPort is < 1 or > 65535 || ServicePort is < 1 or > 65535 || TlsPort is < 1 or > 65535 ? "ports must be 1 to 65535"
        : MeterPort == ServicePort || MeterPort == TlsPort || ServicePort == TlsPort ? "the listeners need three different ports"
        : null;
}
