using System.Buffers.Binary;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Hdlc;

/// <summary>
/// An HDLC frame of IEC 62056-46 §6.4: flag 0x7E, frame format (type 0xA in the top 4 bits, the segmentation bit,
/// an 11-bit length counting every byte between the flags), destination and source addresses, control, then, when
/// there is an information field, the header check sequence (HCS) and the information; the frame check sequence
/// (FCS) over everything after the opening flag; flag 0x7E. No byte stuffing: the length delimits the frame.
/// </summary>
public sealed record HdlcFrame(HdlcAddress Destination, HdlcAddress Source, HdlcControl Control, Octets Information, bool Segmented = false)
{
    public const byte Flag = 0x7E;
    public const int MaxLength = 0x7FF;
    private const ushort FormatType = 0xA000;
    private const ushort SegmentationBit = 0x0800;

    public byte[] Encode()
    {
        var writer = new DlmsWriter(Information.Length + 16);
        writer.WriteByte(Flag);
        writer.WriteUInt16(0);
        Destination.Write(writer);
        Source.Write(writer);
        writer.WriteByte(Control.Value);
        int headerEnd = writer.Length;
        int length = headerEnd - 1 + 2 + (Information.IsEmpty ? 0 : 2 + Information.Length);
        if (length > MaxLength)
        {
            throw new ArgumentException($"An HDLC frame is at most {MaxLength} bytes long, this one would be {length}.");
        }
        if (!Information.IsEmpty)
        {
            writer.WriteUInt16(0);
            writer.WriteBytes(Information.Span);
        }
        writer.WriteUInt16(0);
        writer.WriteByte(Flag);
        byte[] frame = writer.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), (ushort)(FormatType | (Segmented ? SegmentationBit : 0) | length));
        if (!Information.IsEmpty)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(headerEnd), HdlcCrc.Compute(frame.AsSpan(1, headerEnd - 1)));
        }
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(frame.Length - 3), HdlcCrc.Compute(frame.AsSpan(1, frame.Length - 4)));
        return frame;
    }

    /// <summary>The 11-bit frame length announced by the two format bytes; throws when they are not format type 0xA.</summary>
    public static int ReadLength(ReadOnlySpan<byte> format)
    {
        ushort value = BinaryPrimitives.ReadUInt16BigEndian(format);
        if ((value & 0xF000) != FormatType)
        {
            throw new DlmsFormatException($"HDLC frame format 0x{value:X4} is not type 0xA.");
        }
        return value & MaxLength;
    }

    /// <summary>Decodes exactly one frame, flags included, checking length, HCS and FCS.</summary>
    public static HdlcFrame Decode(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < 9 || frame[0] != Flag || frame[^1] != Flag)
        {
            throw new DlmsFormatException("An HDLC frame starts and ends with the flag 0x7E and has at least 9 bytes.");
        }
        var body = frame[1..^1];
        int length = ReadLength(body);
        if (length != body.Length)
        {
            throw new DlmsFormatException($"HDLC frame announces {length} bytes, {body.Length} lie between the flags.");
        }
        CheckCrc(body, "frame check sequence");
        bool segmented = (BinaryPrimitives.ReadUInt16BigEndian(body) & SegmentationBit) != 0;
        var reader = new DlmsReader(body[..^2]);
        reader.ReadUInt16();
        var destination = HdlcAddress.Read(ref reader);
        var source = HdlcAddress.Read(ref reader);
        var control = HdlcControl.Parse(reader.ReadByte());
        if (reader.AtEnd)
        {
            return new HdlcFrame(destination, source, control, Octets.Empty, segmented);
        }
        CheckCrc(body[..(reader.Position + 2)], "header check sequence");
        reader.ReadUInt16();
        if (reader.AtEnd)
        {
            throw new DlmsFormatException("An HDLC frame with a header check sequence has an information field.");
        }
        return new HdlcFrame(destination, source, control, new Octets(reader.ReadBytes(reader.Remaining)), segmented);
    }

    private static void CheckCrc(ReadOnlySpan<byte> covered, string what)
    {
        if (covered.Length < 3)
        {
            throw new DlmsFormatException($"HDLC {what} is missing.");
        }
        ushort expected = HdlcCrc.Compute(covered[..^2]);
        ushort actual = BinaryPrimitives.ReadUInt16LittleEndian(covered[^2..]);
        if (expected != actual)
        {
            throw new DlmsFormatException($"HDLC {what} is 0x{actual:X4}, the bytes give 0x{expected:X4}.");
        }
    }
}
