using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Hdlc;

/// <summary>
/// An HDLC address of IEC 62056-46 §6.4.2: extended addressing, 7 address bits per byte with the low bit set only on
/// the last byte. A client address is one byte; a server address is one byte (upper HDLC address only), two bytes
/// (upper and lower, 7 bits each) or four bytes (upper and lower, 14 bits each). The size is kept because a
/// server answers in the form it was addressed in.
/// </summary>
public readonly record struct HdlcAddress(ushort Upper, ushort Lower, byte Size)
{
    public static HdlcAddress OneByte(int upper) => Create(upper, 0, 1, 0x7F);

    public static HdlcAddress TwoBytes(int upper, int lower) => Create(upper, lower, 2, 0x7F);

    public static HdlcAddress FourBytes(int upper, int lower) => Create(upper, lower, 4, 0x3FFF);

    /// <summary>A client SAP (16 public client, 1 management) as a one-byte address.</summary>
    public static HdlcAddress Client(int sap) => OneByte(sap);

    private static HdlcAddress Create(int upper, int lower, byte size, int max)
    {
        if (upper < 0 || upper > max || lower < 0 || lower > max)
        {
            throw new ArgumentOutOfRangeException(nameof(upper), $"A {size}-byte HDLC address holds values up to {max}.");
        }
        return new HdlcAddress((ushort)upper, (ushort)lower, size);
    }

    public static HdlcAddress Read(ref DlmsReader reader)
    {
        Span<byte> bytes = stackalloc byte[4];
        int count = 0;
        while (true)
        {
            byte b = reader.ReadByte();
            if (count == 4)
            {
                throw new DlmsFormatException("An HDLC address is longer than 4 bytes.");
            }
            bytes[count++] = (byte)(b >> 1);
            if ((b & 1) != 0)
            {
                break;
            }
        }
        return count switch
        {
            1 => new HdlcAddress(bytes[0], 0, 1),
            2 => new HdlcAddress(bytes[0], bytes[1], 2),
            4 => new HdlcAddress((ushort)((bytes[0] << 7) | bytes[1]), (ushort)((bytes[2] << 7) | bytes[3]), 4),
            _ => throw new DlmsFormatException($"An HDLC address of {count} bytes does not exist (1, 2 or 4)."),
        };
    }

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<int> values = Size switch
        {
            1 => [Upper],
            2 => [Upper, Lower],
            4 => [Upper >> 7, Upper & 0x7F, Lower >> 7, Lower & 0x7F],
            _ => throw new ArgumentException($"HDLC address size {Size} does not exist."),
        };
        for (int i = 0; i < values.Length; i++)
        {
            writer.WriteByte((byte)((values[i] << 1) | (i == values.Length - 1 ? 1 : 0)));
        }
    }

    public override string ToString() => Size == 1 ? $"{Upper}" : $"{Upper}/{Lower}";
}
