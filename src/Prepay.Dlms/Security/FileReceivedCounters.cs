using System.Globalization;
using System.Text;

namespace Prepay.Dlms.Security;

/// <summary>
/// The last counters accepted from each peer, kept in a file so that a replay stays refused after a restart or a
/// crash. The file holds, per peer system title, a ceiling at or above every counter accepted from that peer; it
/// is written (temporary file, flushed, renamed) before a counter above the old ceiling is accepted, and the new
/// ceiling is that counter plus <see cref="ReserveAhead"/> − 1, so one flush covers a block of accepted APDUs.
/// After a crash the store starts from the ceilings: every counter accepted before the crash is at or below its
/// ceiling and stays refused, so no value is ever accepted twice. The price of a block: the peer's next honest
/// counters up to the ceiling are refused too, and the peer resynchronises by reading the ceiling from
/// 0.0.43.1.x.255 (<see cref="HighestAccepted"/> + 1). <see cref="Checkpoint"/> on an orderly shutdown writes
/// the exact values so that no resynchronisation is needed then.
/// </summary>
public sealed class FileReceivedCounters : IReceivedCounterStore
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly Dictionary<Octets, uint> _last;
    private readonly Dictionary<Octets, uint> _ceiling;

    public FileReceivedCounters(string path, uint reserveAhead = 1)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
        ArgumentOutOfRangeException.ThrowIfZero(reserveAhead);
        ReserveAhead = reserveAhead;
        _ceiling = Load(path);
        _last = new Dictionary<Octets, uint>(_ceiling);
    }

    /// <summary>How many accepted counters of one peer one flush to disk covers.</summary>
    public uint ReserveAhead { get; }

    public bool TryAccept(Octets peer, uint counter)
    {
        lock (_lock)
        {
            if (_last.TryGetValue(peer, out uint last) && counter <= last)
            {
                return false;
            }
            if (!_ceiling.TryGetValue(peer, out uint ceiling) || counter > ceiling)
            {
                _ceiling[peer] = counter + Math.Min(ReserveAhead - 1, uint.MaxValue - counter);
                Save(_ceiling);
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

    /// <summary>Writes the exact last values as the ceilings (an orderly shutdown): nothing is reserved ahead any more.</summary>
    public void Checkpoint()
    {
        lock (_lock)
        {
            foreach (var (peer, last) in _last)
            {
                _ceiling[peer] = last;
            }
            Save(_ceiling);
        }
    }

    private void Save(Dictionary<Octets, uint> ceilings)
    {
        var text = new StringBuilder();
        foreach (var (peer, value) in ceilings)
        {
            text.Append(CultureInfo.InvariantCulture, $"{peer} {value}\n");
        }
        DurableFile.Replace(_path, text.ToString());
    }

    private static Dictionary<Octets, uint> Load(string path)
    {
        var ceilings = new Dictionary<Octets, uint>();
        foreach (var line in (DurableFile.Read(path) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint value))
            {
                throw new InvalidDataException($"{path} holds a line that is not 'SYSTEMTITLE COUNTER': {line}");
            }
            ceilings[Octets.FromHex(parts[0])] = value;
        }
        return ceilings;
    }
}
