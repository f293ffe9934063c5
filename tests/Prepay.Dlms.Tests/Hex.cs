namespace Prepay.Dlms.Tests;

internal static class Hex
{
    /// <summary>Bytes from hex written with or without spaces, as the cited documents print them.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
