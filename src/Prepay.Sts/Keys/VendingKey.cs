using System.Globalization;

namespace Prepay.Sts.Keys;

/// <summary>
/// A vending key (VUDK/VCDK): 64 bits for DKGA-02, 160 bits for DKGA-04. A secret: ToString never shows it,
/// and the bytes only leave through <see cref="CopyTo"/>.
/// </summary>
public sealed class VendingKey
{
    private readonly byte[] _bytes;

    private VendingKey(byte[] bytes) => _bytes = bytes;

    /// <summary>The key length in bits.</summary>
    public int Bits => _bytes.Length * 8;

    /// <summary>From 8 (DKGA-02) or 20 (DKGA-04) bytes.</summary>
    public static VendingKey FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length is 8 or 20
            ? new VendingKey(bytes.ToArray())
            : throw new ArgumentException("A vending key has 8 bytes (DKGA-02) or 20 bytes (DKGA-04).", nameof(bytes));

    /// <summary>Parses 16 or 40 hex digits; returns null on success, else why it failed (never echoing the key).</summary>
    public static string? TryParseHex(string? hex, out VendingKey? key)
    {
        key = null;
        hex = hex?.Trim();
        if (hex is null || (hex.Length != 16 && hex.Length != 40))
        {
            return "A vending key has 16 hex digits (DKGA-02) or 40 hex digits (DKGA-04).";
        }

        var bytes = new byte[hex.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(hex.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return "A vending key has only hex digits.";
            }
        }

        key = new VendingKey(bytes);
        return null;
    }

    /// <summary>Parses hex; throws (without the key in the message) on bad input.</summary>
    public static VendingKey ParseHex(string hex) =>
        TryParseHex(hex, out var key) is { } error ? throw new FormatException(error) : key!;

    /// <summary>Copies the key bytes out; the caller owns the copy and should clear it.</summary>
    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    /// <inheritdoc />
    public override string ToString() => $"VendingKey({Bits} bits, hidden)";
}
