using System.Globalization;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Cosem;

/// <summary>
/// An OBIS code (IEC 62056-6-1), the six value groups A.B.C.D.E.F that name a COSEM object: its logical name, sent
/// as a 6-byte octet-string. Parsed from "1.0.1.8.0.255" or the display form "1-0:1.8.0*255" (IEC 62056-6-1 §4.4).
/// </summary>
public readonly record struct ObisCode(byte A, byte B, byte C, byte D, byte E, byte F)
{
    public const int Size = 6;

    public static ObisCode FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new DlmsFormatException($"A logical name has {Size} bytes, not {bytes.Length}.");
        }
        return new ObisCode(bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5]);
    }

    public static ObisCode Read(ref DlmsReader reader) => FromBytes(reader.ReadBytes(Size));

    public void Write(DlmsWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteByte(A);
        writer.WriteByte(B);
        writer.WriteByte(C);
        writer.WriteByte(D);
        writer.WriteByte(E);
        writer.WriteByte(F);
    }

    public byte[] ToBytes() => [A, B, C, D, E, F];

    /// <summary>Parses either form; null when the text is neither (an expected failure at an edge, not an exception).</summary>
    public static ObisCode? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        string trimmed = text.Trim();
        bool display = trimmed.Contains('-', StringComparison.Ordinal) || trimmed.Contains(':', StringComparison.Ordinal)
            || trimmed.Contains('*', StringComparison.Ordinal);
        string[] parts = display ? SplitDisplay(trimmed) : trimmed.Split('.');
        if (parts.Length != Size)
        {
            return null;
        }
        var bytes = new byte[Size];
        for (int i = 0; i < Size; i++)
        {
            if (parts[i].Length is 0 or > 3 || !parts[i].All(char.IsAsciiDigit)
                || !byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return null;
            }
        }
        return FromBytes(bytes);
    }

    public static ObisCode Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"'{text}' is not an OBIS code (A.B.C.D.E.F or A-B:C.D.E*F).");

    // "A-B:C.D.E*F": the separators are fixed by position.
    private static string[] SplitDisplay(string text)
    {
        int dash = text.IndexOf('-', StringComparison.Ordinal);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        int star = text.IndexOf('*', StringComparison.Ordinal);
        if (dash < 0 || colon < dash || star < colon)
        {
            return [];
        }
        string[] middle = text[(colon + 1)..star].Split('.');
        return middle.Length != 3 ? [] : [text[..dash], text[(dash + 1)..colon], middle[0], middle[1], middle[2], text[(star + 1)..]];
    }

    public override string ToString() => FormattableString.Invariant($"{A}.{B}.{C}.{D}.{E}.{F}");

    /// <summary>The display form of IEC 62056-6-1, e.g. 1-0:1.8.0*255.</summary>
    public string ToDisplayString() => FormattableString.Invariant($"{A}-{B}:{C}.{D}.{E}*{F}");
}
