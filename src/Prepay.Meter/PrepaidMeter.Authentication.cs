using System.Security.Cryptography;
using Prepay.Meter.Commands;

namespace Prepay.Meter;

/// <summary>
/// Remote commands are believed only when signed with the meter's own command key and newer than the last one
/// accepted (docs/mqtt.md, Signed commands), so that whoever holds the broker or the network can neither add credit
/// nor cut the supply: a forged command is refused, a captured one replayed is refused, an older one is refused.
/// </summary>
public sealed partial class PrepaidMeter
{
    private long _lastCommandSeq;

    /// <summary>The highest command sequence number accepted; kept in the snapshot, as firmware keeps it in non-volatile memory.</summary>
    public long LastCommandSeq => _lastCommandSeq;

    /// <summary>
    /// Checks, in this order: a MAC is there, it is HMAC-SHA256 of the signed bytes under the meter's key (compared
    /// in constant time), the sequence number is not below the last accepted, the command has not expired by the
    /// meter's clock. A <see cref="CommandVerdict.Fresh"/> command's number becomes the last accepted, whatever the
    /// command then does: a refused command is consumed too. Nothing else changes.
    /// </summary>
    public CommandVerdict Authenticate(SealedCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (IsOutage)
        {
            return CommandVerdict.Unheard;
        }

        if (command.Mac.IsEmpty)
        {
            return CommandVerdict.Unsigned;
        }

        var key = _config.CommandKey.Span;
        if (key.IsEmpty || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, command.SignedBytes.Span), command.Mac.Span))
        {
            return CommandVerdict.Forged;
        }

        if (command.Seq < _lastCommandSeq)
        {
            return CommandVerdict.Replayed;
        }

        if (command.ExpiresAt <= _now)
        {
            return CommandVerdict.Expired;
        }

        if (command.Seq == _lastCommandSeq)
        {
            return CommandVerdict.Repeat;
        }

        _lastCommandSeq = command.Seq;
        return CommandVerdict.Fresh;
    }
}
