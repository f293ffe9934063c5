using System.Globalization;

namespace Prepay.Dlms.Security;

/// <summary>
/// An outgoing counter in a file holding, as text, a value never handed out (the "ceiling"): every value below it
/// may have been used, none at or above it has. A reservation that reaches the ceiling first writes a new ceiling
/// <see cref="ReserveAhead"/> values higher (temporary file, flushed to disk, renamed into place) and only then
/// hands the value out. After a crash (even kill -9 between send and reply) the counter restarts at the ceiling on
/// disk, so a value is never used twice; the values reserved but not used before the crash are skipped, which the
/// standard allows (the counter must rise, not step by one). With a block of 1 every value costs one flush, as
/// before; a larger block costs one flush per block. One instance owns the file at a time.
/// </summary>
public sealed class FileInvocationCounter : IInvocationCounterStore
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private uint _next;
    private uint _ceiling;

    public FileInvocationCounter(string path, uint reserveAhead = 1)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
        ArgumentOutOfRangeException.ThrowIfZero(reserveAhead);
        ReserveAhead = reserveAhead;
    }

    /// <summary>How many values one flush to disk covers.</summary>
    public uint ReserveAhead { get; }

    public uint Reserve()
    {
        lock (_lock)
        {
            if (_next >= _ceiling)
            {
                // Reread: with a block of 1 another instance may have moved the file on (the behaviour callers had).
                _next = Math.Max(_next, ReadCeiling());
                if (_next == uint.MaxValue)
                {
                    throw new InvalidOperationException("The invocation counter is exhausted; the key must be renewed.");
                }
                _ceiling = _next + Math.Min(ReserveAhead, uint.MaxValue - _next);
                DurableFile.Replace(_path, _ceiling.ToString(CultureInfo.InvariantCulture));
            }
            return _next++;
        }
    }

    public bool AdvanceTo(uint next)
    {
        lock (_lock)
        {
            uint current = _next >= _ceiling ? Math.Max(_next, ReadCeiling()) : _next;
            if (next <= current)
            {
                return false;
            }
            _next = next;
            return true;
        }
    }

    private uint ReadCeiling() => DurableFile.Read(_path) is { } text
        ? uint.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture)
        : 1;
}
