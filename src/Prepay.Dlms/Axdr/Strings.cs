using System.Text;

namespace Prepay.Dlms.Axdr;

/// <summary>
/// visible-string [10]: a length, then one byte per character. Held as Latin-1, which maps every byte to one
/// character and back, so whatever a meter sends survives a round trip.
/// </summary>
public sealed record VisibleString(string Value) : DlmsValue
{
    public override DataTag Tag => DataTag.VisibleString;

    internal override void WriteContent(DlmsWriter writer)
    {
        if (Value.Any(c => c > 0xFF))
        {
            throw new ArgumentException("A visible-string holds one byte per character.");
        }
        writer.WriteOctetString(Encoding.Latin1.GetBytes(Value));
    }

    internal static VisibleString ReadContent(ref DlmsReader reader) =>
        new(Encoding.Latin1.GetString(reader.ReadBytes(reader.ReadLength())));
}

/// <summary>utf8-string [12]: a length in bytes, then UTF-8. Bytes that are not UTF-8 are refused.</summary>
public sealed record Utf8String(string Value) : DlmsValue
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public override DataTag Tag => DataTag.Utf8String;

    internal override void WriteContent(DlmsWriter writer) => writer.WriteOctetString(Strict.GetBytes(Value));

    internal static Utf8String ReadContent(ref DlmsReader reader)
    {
        var bytes = reader.ReadBytes(reader.ReadLength());
        try
        {
            return new Utf8String(Strict.GetString(bytes));
        }
        catch (DecoderFallbackException e)
        {
            throw new DlmsFormatException("A utf8-string holds bytes that are not UTF-8.", e);
        }
    }
}
