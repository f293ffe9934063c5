using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>
/// The BER subset the ACSE APDUs use (ITU-T X.690 §8, definite lengths, single-byte tags): tag, length, content.
/// </summary>
internal static class Ber
{
    public const byte Integer = 0x02;
    public const byte OctetString = 0x04;
    public const byte ObjectIdentifier = 0x06;
    public const byte BitString = 0x03;

    // DLMS UA object identifiers (Green Book, "The COSEM application context / authentication mechanism names"):
    // joint-iso-ccitt(2) country(16) country-name(756) identified-organization(5) DLMS-UA(8) then 1 for application
    // contexts or 2 for mechanism names, then the name's number.
    private static ReadOnlySpan<byte> DlmsUaPrefix => [0x60, 0x85, 0x74, 0x05, 0x08];

    /// <summary>The content of the next element; its tag in <paramref name="tag"/>.</summary>
    public static ReadOnlySpan<byte> ReadElement(scoped ref DlmsReader reader, out byte tag)
    {
        tag = reader.ReadByte();
        if ((tag & 0x1F) == 0x1F)
        {
            throw new DlmsFormatException($"Multi-byte BER tag 0x{tag:X2} is not used by the ACSE APDUs.");
        }
        return reader.ReadBytes(reader.ReadBoundedLength());
    }

    public static ReadOnlySpan<byte> Expect(ReadOnlySpan<byte> element, byte expectedTag, string what)
    {
        var reader = new DlmsReader(element);
        var content = ReadElement(ref reader, out byte tag);
        if (tag != expectedTag)
        {
            throw new DlmsFormatException($"{what} has BER tag 0x{tag:X2}, not 0x{expectedTag:X2}.");
        }
        reader.ExpectEnd(what);
        return content;
    }

    public static void WriteElement(DlmsWriter writer, byte tag, ReadOnlySpan<byte> content)
    {
        writer.WriteByte(tag);
        writer.WriteLength(content.Length);
        writer.WriteBytes(content);
    }

    /// <summary>An element whose content is itself one element (explicit tagging, e.g. A1 09 06 07 ...).</summary>
    public static void WriteWrapped(DlmsWriter writer, byte outerTag, byte innerTag, ReadOnlySpan<byte> content)
    {
        var inner = new DlmsWriter(content.Length + 4);
        WriteElement(inner, innerTag, content);
        WriteElement(writer, outerTag, inner.WrittenSpan);
    }

    /// <summary>A small non-negative INTEGER (results, diagnostics, reasons), 0..255.</summary>
    public static byte ReadSmallInteger(ReadOnlySpan<byte> content, string what)
    {
        if (content.Length is 0 or > 2 || (content.Length == 2 && content[0] != 0) || (content.Length == 1 && content[0] > 0x7F))
        {
            throw new DlmsFormatException($"{what} is not an INTEGER between 0 and 255.");
        }
        return content[^1];
    }

    public static byte[] SmallInteger(byte value) => value > 0x7F ? [0, value] : [value];

    /// <summary>The last arc of a DLMS UA name under <paramref name="kind"/> (1 contexts, 2 mechanisms).</summary>
    public static byte ReadDlmsUaName(ReadOnlySpan<byte> oid, byte kind, string what)
    {
        if (oid.Length != DlmsUaPrefix.Length + 2 || !oid.StartsWith(DlmsUaPrefix) || oid[^2] != kind || oid[^1] > 0x7F)
        {
            throw new DlmsFormatException($"{what} {Convert.ToHexString(oid)} is not a DLMS UA name.");
        }
        return oid[^1];
    }

    public static byte[] DlmsUaName(byte kind, byte value) => [.. DlmsUaPrefix, kind, value];
}
