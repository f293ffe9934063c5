using System.Globalization;

namespace Prepay.Dlms.Security;

/// <summary>
/// The sender's invocation counter (Green Book, security suite 0: the IV's last four bytes). A value must never be
/// used twice with the same key, across restarts and crashes too: <see cref="Reserve"/> makes the value durable
/// before it returns, so a sender that dies after sending never reuses it.
/// </summary>
public interface IInvocationCounterStore
{
    uint Reserve();
}

/// <summary>The receiver's side: the last counter accepted from each peer system title; replays are refused.</summary>
public interface IReceivedCounterStore
{
    /// <summary>Accepts <paramref name="counter"/> when it is above the last one accepted from <paramref name="peer"/>.</summary>
    bool TryAccept(Octets peer, uint counter);

    uint? LastAccepted(Octets peer);
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
}

/// <summary>
/// An outgoing counter in a file holding the next free value as text. Each reservation writes value + 1 to a
/// temporary file, flushes it to disk and renames it over the old one before handing the value out, so that after
/// a crash (even kill -9 between send and reply) the file names a value never used.
/// </summary>
public sealed class FileInvocationCounter : IInvocationCounterStore
{
    private readonly Lock _lock = new();
    private readonly string _path;

    public FileInvocationCounter(string path) => _path = path ?? throw new ArgumentNullException(nameof(path));

    public uint Reserve()
    {
        lock (_lock)
        {
            uint next = File.Exists(_path) ? uint.Parse(File.ReadAllText(_path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 1;
            if (next == uint.MaxValue)
            {
                throw new InvalidOperationException("The invocation counter is exhausted; the key must be renewed.");
            }
            string temporary = _path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var bytes = System.Text.Encoding.ASCII.GetBytes((next + 1).ToString(CultureInfo.InvariantCulture));
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, _path, overwrite: true);
            return next;
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
}
