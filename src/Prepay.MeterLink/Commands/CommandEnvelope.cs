using NodaTime;

namespace Prepay.MeterLink.Commands;

/// <summary>
/// A queued command as it leaves the head-end: its id (the meter applies an id at most once), its place in its
/// meter's sequence (a meter refuses any number not above the last it accepted), when it was queued and after when it
/// must not be applied. Transports add their own proof of origin (MQTT v1: the MAC, <c>Mqtt/CommandSignature</c>).
/// </summary>
public sealed record CommandEnvelope(Guid CommandId, long Seq, Instant IssuedAt, Instant ExpiresAt, MeterCommand Command);
