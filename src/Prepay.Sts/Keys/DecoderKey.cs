using System.Buffers.Binary;
using System.Globalization;

namespace Prepay.Sts.Keys;

/// <summary>
/// A decoder key: 64 bits (EA07 STA, EA09 DEA) or 128 bits (EA11 MISTY1). Bytes are in the order the
/// algorithms consume them (big-endian hex, e.g. e653341f9d5bf36f for the STS 531-1-0-02 CTSA01 meter;
/// some implementations print the 64-bit keys byte-reversed). ToString never shows the key.
/// </summary>
public readonly record struct DecoderKey
{
    [System.Text.Json.Serialization.JsonConstructor]
    private DecoderKey(ulong high, ulong low, int bits)
    {
        if (bits is not (64 or 128) || (bits == 64 && high != 0))
        {
            throw new ArgumentException("A decoder key has 64 or 128 bits.", nameof(bits));
        }

        High = high;
        Low = low;
        Bits = bits;
    }

    /// <summary>Bits 127..64 of a 128-bit key; 0 for a 64-bit key.</summary>
    public ulong High { get; }

    /// <summary>Bits 63..0 (the whole key when 64 bits).</summary>
    public ulong Low { get; }

    /// <summary>64 or 128.</summary>
    public int Bits { get; }

    /// <summary>A 64-bit key.</summary>
    public static DecoderKey From64(ulong key) => new(0, key, 64);

    /// <summary>A 128-bit key.</summary>
    public static DecoderKey From128(ulong high, ulong low) => new(high, low, 128);

    /// <summary>From 8 or 16 bytes, big-endian.</summary>
    public static DecoderKey FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        8 => From64(BinaryPrimitives.ReadUInt64BigEndian(bytes)),
        16 => From128(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..])),
        _ => throw new ArgumentException("A decoder key has 8 or 16 bytes.", nameof(bytes)),
    };

    /// <summary>Parses 16 or 32 hex digits; returns null on success, else why it failed.</summary>
    public static string? TryParseHex(string? hex, out DecoderKey key)
    {
        key = default;
        hex = hex?.Trim();
        if (hex is null || (hex.Length != 16 && hex.Length != 32))
        {
            return "A decoder key has 16 or 32 hex digits.";
        }

        if (!ulong.TryParse(hex.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong first))
        {
            return "A decoder key has only hex digits.";
        }

        if (hex.Length == 16)
        {
            key = From64(first);
            return null;
        }

        if (!ulong.TryParse(hex.AsSpan(16, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong second))
        {
            return "A decoder key has only hex digits.";
        }

        key = From128(first, second);
        return null;
    }

    /// <summary>Parses 16 or 32 hex digits; throws on bad input.</summary>
    public static DecoderKey ParseHex(string hex) =>
        TryParseHex(hex, out var key) is { } error ? throw new FormatException(error) : key;

    /// <summary>Writes the key big-endian into 8 or 16 bytes.</summary>
    public void WriteBytes(Span<byte> destination)
    {
        if (Bits == 64)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, Low);
        }
        else
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination, High);
            BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
        }
    }

    /// <summary>The key as lower-case hex. Deliberate: keys are secrets, so this is never the ToString.</summary>
    public string ToHex() => Bits == 64
        ? Low.ToString("x16", CultureInfo.InvariantCulture)
        : High.ToString("x16", CultureInfo.InvariantCulture) + Low.ToString("x16", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public override string ToString() => $"DecoderKey({Bits} bits)";
}
