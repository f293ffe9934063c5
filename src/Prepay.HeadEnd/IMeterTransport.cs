using Prepay.Domain.Metering;
using Prepay.MeterLink.Commands;

namespace Prepay.HeadEnd;

/// <summary>
/// How commands reach meters of one transport (<see cref="Transport"/>): MQTT today, DLMS/COSEM by implementing this.
/// Commands are typed (<see cref="MeterCommand"/>), each transport maps them to its own messages and proofs; what
/// meters send comes back as typed uplinks through <see cref="Ingest.MeterMessageHandler.IngestAsync"/>, whatever the
/// transport. The dispatcher picks the transport by the meter's own (<see cref="Meter.Transport"/>).
/// </summary>
public interface IMeterTransport
{
    /// <summary>The meters this transport serves.</summary>
    MeterTransport Transport { get; }

    /// <summary>Whether this transport has a way to carry <paramref name="command"/> at all (MQTT v1 has no clock setting); a command it cannot carry fails.</summary>
    bool CanCarry(MeterCommand command);

    /// <summary>Hands the command to the transport; true when it was accepted for delivery (not yet acknowledged).</summary>
    Task<bool> SendAsync(MeterNumber meter, CommandEnvelope envelope, CancellationToken ct);
}
