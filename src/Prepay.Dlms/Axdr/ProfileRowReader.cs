using NodaTime;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// Walks the encoded buffer of a profile generic (class 7, attribute 2: array of structure, one structure per entry
/// with one cell per capture object, Blue Book §4.3.6) cell by cell, without building the <see cref="DlmsValue"/>
/// tree: a day of 15-minute entries is about 480 objects as a tree and none here. Each read checks its bytes and
/// throws <see cref="DlmsFormatException"/>, as <see cref="AxdrDecoder"/> does, for input the tree decoder refuses,
/// for an entry that is not a structure, and for a read past an entry's last cell. A cell read yields what the tree
/// decoder's value of that cell would give; cells left unread are skipped (checked all the same).
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

    private DlmsReader _reader;
    private int _rowsLeft;
    private int _cellsLeft;

    /// <param name="buffer">The encoded Data value of the buffer, tag first, and nothing after it.</param>
    public ProfileRowReader(ReadOnlySpan<byte> buffer)
    {
        _reader = new DlmsReader(buffer);
        _reader.Expect((byte)DataTag.Array, "a profile buffer (array)");
        // Each entry takes at least its tag and its count.
        RowCount = _reader.ReadCount(minimumElementSize: 2);
        _rowsLeft = RowCount;
        _cellsLeft = 0;
    }

    /// <summary>The number of entries the buffer announces.</summary>
    public int RowCount { get; }

    /// <summary>Cells of the current entry not yet read.</summary>
    public readonly int CellsLeft => _cellsLeft;

    /// <summary>
    /// Skips what is left of the current entry and moves to the next; false after the last, once the buffer is
    /// known to end there.
    /// </summary>
    public bool MoveNextRow()
    {
        while (_cellsLeft > 0)
        {
            SkipCell();
        }
        if (_rowsLeft == 0)
        {
            _reader.ExpectEnd("a profile buffer");
            return false;
        }
        _rowsLeft--;
        _reader.Expect((byte)DataTag.Structure, "a profile entry (structure)");
        _cellsLeft = _reader.ReadCount(minimumElementSize: 1);
        return true;
    }

    /// <summary>
    /// The next cell as a capture time: a date-time, or an octet-string of 12 bytes (how a clock's time attribute
    /// is captured); null for any other cell or a stamp that names no instant (<see cref="CosemDateTime.ToInstant"/>).
    /// </summary>
    public Instant? ReadInstant()
    {
        byte tag = TakeCell();
        switch ((DataTag)tag)
        {
            case DataTag.OctetString:
                var bytes = _reader.ReadBytes(_reader.ReadLength());
                return bytes.Length == CosemDateTime.Size ? CosemDateTime.InstantOf(bytes) : null;
            case DataTag.DateTime:
                return CosemDateTime.Read(ref _reader).ToInstant();
            default:
                AxdrDecoder.ReadAfterTag(tag, ref _reader, CellDepth);
                return null;
        }
    }

    /// <summary>
    /// The next cell as a non-negative integer (unsigned, long-unsigned, double-long-unsigned, long64-unsigned, or a
    /// signed integer type holding a value of zero or more); null for any other cell.
    /// </summary>
    public ulong? ReadUnsigned()
    {
        byte tag = TakeCell();
        switch ((DataTag)tag)
        {
            case DataTag.Unsigned: return _reader.ReadByte();
            case DataTag.LongUnsigned: return _reader.ReadUInt16();
            case DataTag.DoubleLongUnsigned: return _reader.ReadUInt32();
            case DataTag.Long64Unsigned: return _reader.ReadUInt64();
            case DataTag.Integer: return NonNegative(unchecked((sbyte)_reader.ReadByte()));
            case DataTag.Long: return NonNegative(_reader.ReadInt16());
            case DataTag.DoubleLong: return NonNegative(_reader.ReadInt32());
            case DataTag.Long64: return NonNegative(_reader.ReadInt64());
            default:
                AxdrDecoder.ReadAfterTag(tag, ref _reader, CellDepth);
                return null;
        }
    }

    /// <summary>The next cell as the tree decoder gives it.</summary>
    public DlmsValue ReadValue() => AxdrDecoder.ReadAfterTag(TakeCell(), ref _reader, CellDepth);

    /// <summary>Passes over the next cell, checking it as <see cref="ReadValue"/> does.</summary>
    public void SkipCell() => ReadValue();

    private static ulong? NonNegative(long value) => value >= 0 ? (ulong)value : null;

    private byte TakeCell()
    {
        if (_cellsLeft == 0)
        {
            throw new DlmsFormatException($"The profile entry has no more cells at offset {_reader.Position}.");
        }
        _cellsLeft--;
        return _reader.ReadByte();
    }
}
