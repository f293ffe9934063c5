using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Prepay.Dlms.Axdr;

/// <summary>Writes big-endian A-XDR and BER primitives into a growing buffer.</summary>
public sealed class DlmsWriter
{
    private byte[] _buffer;
    private int _length;

    public DlmsWriter(int capacity = 64) => _buffer = new byte[Math.Max(capacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => WrittenSpan.ToArray();

    // One writer per thread for Encode(): its buffer, grown once to the largest APDU seen, is reused instead of
    // doubling from 64 bytes for every message; only the exact result is allocated. A nested Encode finds the slot
    // empty and takes a writer of its own.
    [ThreadStatic]
    private static DlmsWriter? t_cached;

    internal static DlmsWriter Rent()
    {
        var writer = t_cached ?? new DlmsWriter(1024);
        t_cached = null;
        writer._length = 0;
        return writer;
    }

    internal static byte[] ReturnArray(DlmsWriter writer)
    {
        var bytes = writer.ToArray();
        Return(writer);
        return bytes;
    }

    /// <summary>Gives a rented writer back once its written bytes are no longer needed.</summary>
    internal static void Return(DlmsWriter writer)
    {
        if (writer._buffer.Length <= MaxCachedSize)
        {
            t_cached = writer;
        }
    }

    private const int MaxCachedSize = 1 << 20;

    public void WriteByte(byte value)
    {
        // Fast path: tags and short lengths are most of what is written.
        if (_length < _buffer.Length)
        {
            _buffer[_length++] = value;
            return;
        }
        Reserve(1)[0] = value;
    }

    // A-XDR BOOLEAN: one byte, FALSE 0x00 and TRUE any other value; meters and the Green Book examples send 0x01.
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)0x01 : (byte)0x00);

    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), value);

    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);

    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64BigEndian(Reserve(8), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Reserve(8), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>A-XDR / BER definite length in its shortest form (IEC 61334-6 §5).</summary>
    public void WriteLength(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length < 0x80)
        {
            WriteByte((byte)length);
        }
        else if (length <= 0xFF)
        {
            WriteByte(0x81);
            WriteByte((byte)length);
        }
        else if (length <= 0xFFFF)
        {
            WriteByte(0x82);
            WriteUInt16((ushort)length);
        }
        else
        {
            WriteByte(0x84);
            WriteUInt32((uint)length);
        }
    }

    public void WriteOctetString(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 0x80)
        {
            // Short strings (date-times, logical names, system titles): the length byte and the bytes in one reserve.
            var span = Reserve(1 + bytes.Length);
            span[0] = (byte)bytes.Length;
            bytes.CopyTo(span[1..]);
            return;
        }
        WriteLength(bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>A tag and the element count of an array or structure after it, in one reserve when below 128.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTaggedCount(byte tag, int count)
    {
        if ((uint)count < 0x80)
        {
            var span = Reserve(2);
            span[0] = tag;
            span[1] = (byte)count;
            return;
        }
        WriteByte(tag);
        WriteLength(count);
    }

    /// <summary>A tag and an octet-string after it, in one reserve when short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTaggedOctetString(byte tag, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 0x80)
        {
            var span = Reserve(2 + bytes.Length);
            span[0] = tag;
            span[1] = (byte)bytes.Length;
            bytes.CopyTo(span[2..]);
            return;
        }
        WriteByte(tag);
        WriteOctetString(bytes);
    }

    /// <summary>A tag and a big-endian Unsigned32 after it, in one reserve.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteTaggedUInt32(byte tag, uint value)
    {
        var span = Reserve(5);
        span[0] = tag;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<byte> Reserve(int count)
    {
        int end = _length + count;
        if ((uint)end > (uint)_buffer.Length)
        {
            Grow(end);
        }
        var span = _buffer.AsSpan(_length, count);
        _length = end;
        return span;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int needed) => Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, needed));
}
