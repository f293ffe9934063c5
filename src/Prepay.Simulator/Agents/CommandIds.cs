namespace Prepay.Simulator.Agents;

/// <summary>
/// Maps the head-end's command ids (UUIDv7, time-ordered) to the meter's increasing <c>long</c> ids: the UUID's
/// millisecond timestamp in the high bits keeps issue order across milliseconds (so a late, older connect is
/// refused as superseded by the meter), and a per-meter counter in the low 15 bits keeps ids unique. The same UUID
/// always maps to the same id, so a redelivered command is a duplicate to the meter. Lives as long as the agent.
/// </summary>
public sealed class CommandIds
{
    private readonly Dictionary<Guid, long> _ids = [];
    private long _counter;
    private long _last;

    public long For(Guid commandId)
    {
        lock (_ids)
        {
            if (_ids.TryGetValue(commandId, out var id))
            {
                return id;
            }
            _counter = (_counter + 1) & 0x7FFF;
            id = commandId.Version == 7
                ? (TimestampMs(commandId) << 15) | _counter
                : _last + 1; // not time-ordered: arrival order is the best there is
            _last = Math.Max(_last, id);
            _ids[commandId] = id;
            return id;
        }
    }

    // RFC 9562 §5.7: the first 48 bits of a UUIDv7 are Unix milliseconds, big-endian.
    private static long TimestampMs(Guid id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.TryWriteBytes(bytes, bigEndian: true, out _);
        long ms = 0;
        for (var i = 0; i < 6; i++)
        {
            ms = (ms << 8) | bytes[i];
        }
        return ms;
    }
}
