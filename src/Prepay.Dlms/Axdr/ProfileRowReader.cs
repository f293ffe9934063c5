using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using NodaTime;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// Walks the encoded buffer of a profile generic (class 7, attribute 2: array of structure, one structure per entry
/// with one cell per capture object, Blue Book §4.3.6) cell by cell, without building the <see cref="DlmsValue"/>
/// tree: a day of 15-minute entries is about 480 objects as a tree and none here. Each read checks its bytes and
/// throws <see cref="DlmsFormatException"/>, as <see cref="AxdrDecoder"/> does, for input the tree decoder refuses,
/// for an entry that is not a structure, and for a read past an entry's last cell. A cell read yields what the tree
/// decoder's value of that cell would give; cells left unread are skipped (checked all the same).
/// <para>
/// The shapes a meter sends (a structure of fewer than 128 cells, a clock stamp as an octet-string of 12 bytes, a
/// double-long-unsigned register) are read inline from the span; anything else goes through
/// <see cref="DlmsReader"/> and <see cref="AxdrDecoder"/>, which also report every error.
/// </para>
/// </summary>
/// <example>
/// <code>
/// var rows = new ProfileRowReader(data);
/// while (rows.MoveNextRow())
/// {
///     Instant? end = rows.ReadInstant();
///     ulong? energy = rows.ReadUnsigned();
/// }
/// </code>
/// </example>
public ref struct ProfileRowReader
{
    // The entries sit one level down and their cells two, so a cell decoded as a tree keeps the tree decoder's limit.
    private const int CellDepth = 2;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;
    private int _rowsLeft;
    private int _cellsLeft;

    // The day of the last stamp read (year, month, day bytes) and its midnight: the entries of a profile mostly share
    // their day, whose calendar arithmetic is then done once.
    private long _dayKey;
    private long _dayStartTicks;

    /// <param name="buffer">The encoded Data value of the buffer, tag first, and nothing after it.</param>
    public ProfileRowReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        var reader = new DlmsReader(buffer);
        reader.Expect((byte)DataTag.Array, "a profile buffer (array)");
        // Each entry takes at least its tag and its count.
        RowCount = reader.ReadCount(minimumElementSize: 2);
        _position = reader.Position;
        _rowsLeft = RowCount;
        _cellsLeft = 0;
        _dayKey = -1;
        _dayStartTicks = 0;
    }

    /// <summary>The number of entries the buffer announces.</summary>
    public int RowCount { get; }

    /// <summary>Cells of the current entry not yet read.</summary>
    public readonly int CellsLeft => _cellsLeft;

    /// <summary>
    /// The tag of the next cell, not read: for a caller that takes the usual shapes in place and hands anything else
    /// to <see cref="ReadValue"/>. Null after the entry's last cell or where the buffer ends.
    /// </summary>
    public readonly DataTag? PeekTag() => _cellsLeft > 0 && _position < _buffer.Length ? (DataTag)_buffer[_position] : null;

    /// <summary>
    /// Skips what is left of the current entry and moves to the next; false after the last, once the buffer is
    /// known to end there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // the walk is a caller's loop; inlined, the reader's fields stay in registers
    public bool MoveNextRow()
    {
        while (_cellsLeft > 0)
        {
            SkipCell();
        }
        if (_rowsLeft == 0)
        {
            new DlmsReader(_buffer, _position).ExpectEnd("a profile buffer");
            return false;
        }
        _rowsLeft--;
        int p = _position;
        var b = _buffer;
        // Fast path: structure tag, a one-byte count, and at least a byte per cell left (ReadCount's check).
        if ((uint)(p + 1) < (uint)b.Length && b[p] == (byte)DataTag.Structure && b[p + 1] < 0x80 && b[p + 1] <= b.Length - p - 2)
        {
            _cellsLeft = b[p + 1];
            _position = p + 2;
            return true;
        }
        var reader = new DlmsReader(b, p);
        reader.Expect((byte)DataTag.Structure, "a profile entry (structure)");
        _cellsLeft = reader.ReadCount(minimumElementSize: 1);
        _position = reader.Position;
        return true;
    }

    /// <summary>
    /// The next cell as a capture time: a date-time, or an octet-string of 12 bytes (how a clock's time attribute
    /// is captured); null for any other cell or a stamp that names no instant (<see cref="CosemDateTime.ToInstant"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Instant? ReadInstant()
    {
        TakeCell();
        int p = _position;
        var b = _buffer;
        if ((uint)(p + 2 + CosemDateTime.Size) <= (uint)b.Length && b[p] == (byte)DataTag.OctetString && b[p + 1] == CosemDateTime.Size)
        {
            _position = p + 2 + CosemDateTime.Size;
            var stamp = b.Slice(p + 2, CosemDateTime.Size);
            long day = BinaryPrimitives.ReadUInt32BigEndian(stamp);
            if (day != _dayKey)
            {
                if (CosemDateTime.DayStartTicks(BinaryPrimitives.ReadUInt16BigEndian(stamp), stamp[2], stamp[3]) is not { } start)
                {
                    return null;
                }
                _dayKey = day;
                _dayStartTicks = start;
            }
            return CosemDateTime.InstantAt(_dayStartTicks, stamp[5], stamp[6], stamp[7], stamp[8], BinaryPrimitives.ReadInt16BigEndian(stamp[9..]));
        }
        return ReadInstantSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private Instant? ReadInstantSlow()
    {
        var reader = new DlmsReader(_buffer, _position);
        byte tag = reader.ReadByte();
        Instant? instant;
        switch ((DataTag)tag)
        {
            case DataTag.OctetString:
                var bytes = reader.ReadBytes(reader.ReadLength());
                instant = bytes.Length == CosemDateTime.Size ? CosemDateTime.InstantOf(bytes) : null;
                break;
            case DataTag.DateTime:
                instant = CosemDateTime.Read(ref reader).ToInstant();
                break;
            default:
                AxdrDecoder.ReadAfterTag(tag, ref reader, CellDepth);
                instant = null;
                break;
        }
        _position = reader.Position;
        return instant;
    }

    /// <summary>
    /// The next cell as a non-negative integer (unsigned, long-unsigned, double-long-unsigned, long64-unsigned, or a
    /// signed integer type holding a value of zero or more); null for any other cell.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong? ReadUnsigned()
    {
        TakeCell();
        int p = _position;
        var b = _buffer;
        if ((uint)(p + 5) <= (uint)b.Length && b[p] == (byte)DataTag.DoubleLongUnsigned)
        {
            _position = p + 5;
            return BinaryPrimitives.ReadUInt32BigEndian(b.Slice(p + 1, 4));
        }
        return ReadUnsignedSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong? ReadUnsignedSlow()
    {
        var reader = new DlmsReader(_buffer, _position);
        byte tag = reader.ReadByte();
        ulong? value = (DataTag)tag switch
        {
            DataTag.Unsigned => reader.ReadByte(),
            DataTag.LongUnsigned => reader.ReadUInt16(),
            DataTag.DoubleLongUnsigned => reader.ReadUInt32(),
            DataTag.Long64Unsigned => reader.ReadUInt64(),
            DataTag.Integer => NonNegative(unchecked((sbyte)reader.ReadByte())),
            DataTag.Long => NonNegative(reader.ReadInt16()),
            DataTag.DoubleLong => NonNegative(reader.ReadInt32()),
            DataTag.Long64 => NonNegative(reader.ReadInt64()),
            _ => Skipped(AxdrDecoder.ReadAfterTag(tag, ref reader, CellDepth)),
        };
        _position = reader.Position;
        return value;
    }

    /// <summary>The next cell as the tree decoder gives it.</summary>
    public DlmsValue ReadValue()
    {
        TakeCell();
        var reader = new DlmsReader(_buffer, _position);
        var value = AxdrDecoder.Read(ref reader, CellDepth);
        _position = reader.Position;
        return value;
    }

    /// <summary>Passes over the next cell, checking it as <see cref="ReadValue"/> does.</summary>
    public void SkipCell() => ReadValue();

    private static ulong? NonNegative(long value) => value >= 0 ? (ulong)value : null;

    private static ulong? Skipped(DlmsValue _) => null;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TakeCell()
    {
        if (_cellsLeft == 0)
        {
            throw NoMoreCells();
        }
        _cellsLeft--;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly DlmsFormatException NoMoreCells() => new($"The profile entry has no more cells at offset {_position}.");
}
