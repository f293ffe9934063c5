using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Hdlc;

/// <summary>
/// The HDLC parameters negotiated in the information field of SNRM and UA (IEC 62056-46 §6.4.4.4.3.2, the
/// ISO/IEC 13239 parameter negotiation): format identifier 0x81, group identifier 0x80, group length, then
/// parameters 0x05 maximum information field length transmit, 0x06 receive, 0x07 window size transmit, 0x08 receive,
/// each an identifier, a length and a big-endian value. Absent parameters keep their defaults (128 bytes, window 1).
/// Written with 2-byte lengths and 4-byte window sizes, as the DLMS UA's examples show them.
/// </summary>
public sealed record HdlcParameters(
    int MaxInformationFieldTransmit = HdlcParameters.DefaultInformationFieldLength,
    int MaxInformationFieldReceive = HdlcParameters.DefaultInformationFieldLength,
    int WindowSizeTransmit = 1,
    int WindowSizeReceive = 1)
{
    public const int DefaultInformationFieldLength = 128;
    private const byte FormatIdentifier = 0x81;
    private const byte GroupIdentifier = 0x80;

    public Octets Encode()
    {
        var parameters = new DlmsWriter();
        WriteParameter(parameters, 0x05, MaxInformationFieldTransmit, 2);
        WriteParameter(parameters, 0x06, MaxInformationFieldReceive, 2);
        WriteParameter(parameters, 0x07, WindowSizeTransmit, 4);
        WriteParameter(parameters, 0x08, WindowSizeReceive, 4);
        var writer = new DlmsWriter();
        writer.WriteByte(FormatIdentifier);
        writer.WriteByte(GroupIdentifier);
        writer.WriteByte((byte)parameters.Length);
        writer.WriteBytes(parameters.WrittenSpan);
        return new Octets(writer.WrittenSpan);
    }

    /// <summary>The parameters in an SNRM or UA information field; an empty field means every default.</summary>
    public static HdlcParameters Decode(ReadOnlySpan<byte> information)
    {
        var result = new HdlcParameters();
        if (information.IsEmpty)
        {
            return result;
        }
        var reader = new DlmsReader(information);
        reader.Expect(FormatIdentifier, "the HDLC parameter format identifier");
        reader.Expect(GroupIdentifier, "the HDLC parameter group identifier");
        var group = new DlmsReader(reader.ReadBytes(reader.ReadByte()));
        reader.ExpectEnd("the HDLC parameter group");
        while (!group.AtEnd)
        {
            byte id = group.ReadByte();
            var value = group.ReadBytes(group.ReadByte());
            result = id switch
            {
                0x05 => result with { MaxInformationFieldTransmit = ReadValue(value) },
                0x06 => result with { MaxInformationFieldReceive = ReadValue(value) },
                0x07 => result with { WindowSizeTransmit = ReadValue(value) },
                0x08 => result with { WindowSizeReceive = ReadValue(value) },
                _ => result,
            };
        }
        return result;
    }

    private static int ReadValue(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 4 || (value.Length == 4 && value[0] > 0x7F))
        {
            throw new DlmsFormatException($"An HDLC parameter value of {value.Length} bytes is out of range.");
        }
        int result = 0;
        foreach (byte b in value)
        {
            result = (result << 8) | b;
        }
        return result;
    }

    private static void WriteParameter(DlmsWriter writer, byte id, int value, int size)
    {
        if (value < 0 || (size == 2 && value > ushort.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"HDLC parameter 0x{id:X2} cannot be {value}.");
        }
        writer.WriteByte(id);
        writer.WriteByte((byte)size);
        if (size == 2)
        {
            writer.WriteUInt16((ushort)value);
        }
        else
        {
            writer.WriteInt32(value);
        }
    }
}
