namespace Prepay.Sts.Tokens;

/// <summary>
/// The 64-bit data block that is encrypted: subclass (63..60), data (59..16), CRC (15..0).
/// The class travels outside the block. IEC 62055-41 §6.3.1.
/// </summary>
public static class DataBlock
{
    /// <summary>Builds the block of a token, CRC included.</summary>
    public static ulong From(in TokenData data) =>
        ((ulong)data.Subclass << 60) | (data.Data << 16) | Crc16.Compute(data);

    /// <summary>Splits a decrypted block; <paramref name="crcOk"/> tells whether its CRC matches.</summary>
    public static TokenData Read(ulong block, TokenClass tokenClass, out bool crcOk)
    {
        var data = TokenData.Create(tokenClass, (int)(block >> 60), (block >> 16) & TokenData.DataMask);
        crcOk = Crc16.Compute(data) == unchecked((ushort)block);
        return data;
    }
}
