using NodaTime;

namespace Prepay.Meter.Commands;

/// <summary>
/// A remote command as it arrived, with what vouches for it (docs/mqtt.md, Signed commands): the bytes the head-end
/// signed, rebuilt by the transport from the very fields it parsed (sequence number and expiry among them, so
/// neither can be changed without changing the bytes), and the MAC it carried (empty when it had none).
/// </summary>
public sealed record SealedCommand(ReadOnlyMemory<byte> SignedBytes, ReadOnlyMemory<byte> Mac, long Seq, Instant ExpiresAt);
