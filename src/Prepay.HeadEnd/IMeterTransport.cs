using Prepay.HeadEnd.Protocol;

namespace Prepay.HeadEnd;

/// <summary>
/// How commands reach meters. MQTT is the one transport today; a DLMS/COSEM transport joins by implementing this,
/// and what meters send comes back through <see cref="Ingest.MeterMessageHandler"/> whatever the transport.
/// </summary>
public interface IMeterTransport
{
    /// <summary>Hands the command to the transport; true when it was accepted for delivery (not yet acknowledged).</summary>
    Task<bool> SendAsync(string meterNumber, CommandMessage command, CancellationToken ct);
}
