using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// Reads big-endian A-XDR (IEC 61334-6) and BER primitives from a span. Every read checks the bytes left first and
/// throws <see cref="DlmsFormatException"/>, so a reader built on it cannot run past the end or allocate for a count
/// the input cannot hold.
/// </summary>
public ref struct DlmsReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public DlmsReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>A reader that goes on at <paramref name="position"/>, so that offsets in its errors count from the start.</summary>
    internal DlmsReader(ReadOnlySpan<byte> buffer, int position)
    {
        _buffer = buffer;
        _position = position;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool AtEnd => _position == _buffer.Length;

    public byte ReadByte()
    {
        if ((uint)_position >= (uint)_buffer.Length)
        {
            throw Short("a byte");
        }
        return _buffer[_position++];
    }

    public readonly byte PeekByte()
    {
        if (AtEnd)
        {
            throw new DlmsFormatException($"Expected a byte at offset {_position}, found the end.");
        }
        return _buffer[_position];
    }

    public bool ReadBoolean() => ReadByte() != 0;

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(ReadBytes(2));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(ReadBytes(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(ReadBytes(8));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(ReadBytes(8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        // Fast path inline; the message is built only when the read fails (it used to be formatted on every read).
        if ((uint)count > (uint)Remaining)
        {
            throw CannotRead(count);
        }
        var slice = _buffer.Slice(_position, count);
        _position += count;
        return slice;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly DlmsFormatException CannotRead(int count) =>
        count < 0 ? new DlmsFormatException($"Negative length {count} at offset {_position}.") : Short($"{count} bytes");

    /// <summary>
    /// A-XDR length (IEC 61334-6 §5, the same form as a BER definite length): below 0x80 one byte; otherwise
    /// 0x80 | n followed by n big-endian bytes. The indefinite form (0x80 alone) does not exist in A-XDR.
    /// </summary>
    public int ReadLength()
    {
        byte first = ReadByte();
        if (first < 0x80)
        {
            return first;
        }
        int count = first & 0x7F;
        if (count is 0 or > 4)
        {
            throw new DlmsFormatException($"Length form 0x{first:X2} at offset {_position - 1} is not allowed.");
        }
        ulong value = 0;
        foreach (byte b in ReadBytes(count))
        {
            value = (value << 8) | b;
        }
        if (value > int.MaxValue)
        {
            throw new DlmsFormatException($"Length {value} at offset {_position} is too large.");
        }
        return (int)value;
    }

    /// <summary>A length that must also fit in what is left: the length of an octet-string or a BER value.</summary>
    public int ReadBoundedLength()
    {
        int length = ReadLength();
        if (length > Remaining)
        {
            throw Short($"{length} bytes announced by a length");
        }
        return length;
    }

    /// <summary>
    /// The element count of a SEQUENCE OF, refused when the bytes left cannot hold that many elements of at least
    /// <paramref name="minimumElementSize"/> bytes each (so a forged count never becomes a huge allocation).
    /// </summary>
    public int ReadCount(int minimumElementSize = 1)
    {
        int count = ReadLength();
        CheckCount(count, minimumElementSize);
        return count;
    }

    public readonly void CheckCount(long count, int minimumElementSize)
    {
        if (count * Math.Max(minimumElementSize, 0) > Remaining)
        {
            throw new DlmsFormatException($"{count} elements announced at offset {_position}, {Remaining} bytes left.");
        }
    }

    /// <summary>An A-XDR OCTET STRING: its length, then its bytes.</summary>
    public Octets ReadOctetString() => new(ReadBytes(ReadLength()));

    public readonly void ExpectEnd(string what)
    {
        if (!AtEnd)
        {
            throw new DlmsFormatException($"{Remaining} unexpected bytes after {what} at offset {_position}.");
        }
    }

    public void Expect(byte expected, string what)
    {
        byte actual = ReadByte();
        if (actual != expected)
        {
            throw new DlmsFormatException($"Expected {what} (0x{expected:X2}) at offset {_position - 1}, found 0x{actual:X2}.");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly DlmsFormatException Short(string what) => new($"Expected {what} at offset {_position}, only {Remaining} left.");
}
