namespace Prepay.Dlms.Security;

/// <summary>
/// The sender's invocation counter (Green Book, security suite 0: the IV's last four bytes). A value must never be
/// used twice with the same key, across restarts and crashes too: <see cref="Reserve"/> makes the value durable
/// before it returns, so a sender that dies after sending never reuses it.
/// </summary>
public interface IInvocationCounterStore
{
    uint Reserve();

    /// <summary>
    /// Moves the counter forward so that the next value reserved is at least <paramref name="next"/> (a client that
    /// learns the server expects more, from 0.0.43.1.x.255, resynchronises so); never backwards. True when it moved.
    /// A store that cannot move answers false.
    /// </summary>
    bool AdvanceTo(uint next) => false;
}

/// <summary>The receiver's side: the last counter accepted from each peer system title; replays are refused.</summary>
public interface IReceivedCounterStore
{
    /// <summary>Accepts <paramref name="counter"/> when it is above the last one accepted from <paramref name="peer"/>.</summary>
    bool TryAccept(Octets peer, uint counter);

    uint? LastAccepted(Octets peer);

    /// <summary>
    /// The highest counter this store holds as used, over every peer (after a crash, the persisted ceiling): a
    /// sender whose counter is not above it would be refused. Null when nothing was accepted yet.
    /// </summary>
    uint? HighestAccepted() => null;
}

/// <summary>An outgoing counter held in memory: for tests and for peers whose keys live no longer than the process.</summary>
public sealed class MemoryInvocationCounter(uint next = 1) : IInvocationCounterStore
{
    private readonly Lock _lock = new();
    private uint _next = next;

    public uint Reserve()
    {
        lock (_lock)
        {
            if (_next == uint.MaxValue)
            {
                throw new InvalidOperationException("The invocation counter is exhausted; the key must be renewed.");
            }
            return _next++;
        }
    }

    public bool AdvanceTo(uint next)
    {
        lock (_lock)
        {
            if (next <= _next)
            {
                return false;
            }
            _next = next;
            return true;
        }
    }
}

/// <summary>Last accepted counters in memory, per peer system title.</summary>
public sealed class MemoryReceivedCounters : IReceivedCounterStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Octets, uint> _last = [];

    public bool TryAccept(Octets peer, uint counter)
    {
        lock (_lock)
        {
            if (_last.TryGetValue(peer, out uint last) && counter <= last)
            {
                return false;
            }
            _last[peer] = counter;
            return true;
        }
    }

    public uint? LastAccepted(Octets peer)
    {
        lock (_lock)
        {
            return _last.TryGetValue(peer, out uint last) ? last : null;
        }
    }

    public uint? HighestAccepted()
    {
        lock (_lock)
        {
            return _last.Count == 0 ? null : _last.Values.Max();
        }
    }
}
