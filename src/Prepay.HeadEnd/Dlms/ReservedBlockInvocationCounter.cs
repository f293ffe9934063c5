using System.Globalization;
using Prepay.Dlms.Security;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// An outgoing invocation counter persisted a block ahead: the file holds a value above every value handed out
/// (the same format as <see cref="FileInvocationCounter"/>: the next free value as text). When the block in memory
/// is spent, the next ceiling is written to a temporary file, flushed to disk and renamed into place before any
/// value of the new block is used. After a crash the counter resumes at the ceiling: a few values are skipped,
/// none is ever used twice (Green Book, security suite 0: an IV must not repeat under a key). One disk flush per
/// <see cref="BlockSize"/> APDUs instead of one per APDU.
/// </summary>
public sealed class ReservedBlockInvocationCounter : IInvocationCounterStore
{
    private readonly Lock _lock = new();
    private readonly string _path;
    private uint _next;
    private uint _ceiling;

    public ReservedBlockInvocationCounter(string path, uint blockSize = 32)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
        ArgumentOutOfRangeException.ThrowIfZero(blockSize);
        BlockSize = blockSize;
    }

    public uint BlockSize { get; }

    public uint Reserve()
    {
        lock (_lock)
        {
            if (_next == _ceiling)
            {
                ReserveBlock();
            }
            return _next++;
        }
    }

    private void ReserveBlock()
    {
        uint start = File.Exists(_path) ? uint.Parse(File.ReadAllText(_path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture) : 1;
        if (start == uint.MaxValue)
        {
            throw new InvalidOperationException("The invocation counter is exhausted; the key must be renewed.");
        }
        uint ceiling = (uint)Math.Min((ulong)start + BlockSize, uint.MaxValue);
        string temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(System.Text.Encoding.ASCII.GetBytes(ceiling.ToString(CultureInfo.InvariantCulture)));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        _next = start;
        _ceiling = ceiling;
    }
}
