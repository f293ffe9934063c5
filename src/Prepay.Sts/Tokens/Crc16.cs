namespace Prepay.Sts.Tokens;

/// <summary>
/// The token CRC. IEC 62055-41 §6.3.6: generator x^16 + x^15 + x^2 + 1 (0x8005, processed reflected as 0xA001),
/// register preset to 0xFFFF, over the 50 bits class..data right-aligned in 7 bytes, most significant byte
/// first; the two result bytes are then swapped into the token. Checked against the standard's example
/// (0x0B19EB230100 gives 0xC207).
/// </summary>
public static class Crc16
{
    private static readonly ushort[] Table = BuildTable();

    /// <summary>The CRC field for 50 bits (class, subclass, 44 data bits).</summary>
    public static ushort Compute(ulong fiftyBits)
    {
        System.Diagnostics.Debug.Assert(fiftyBits < 1UL << 50, "50 bits");
        uint crc = 0xFFFF;
        var table = Table;
        for (int shift = 48; shift >= 0; shift -= 8)
        {
            byte b = unchecked((byte)(fiftyBits >> shift));
            crc = (crc >> 8) ^ table[(crc ^ b) & 0xFF];
        }

        return (ushort)(((crc & 0xFF) << 8) | (crc >> 8));
    }

    /// <summary>The CRC field of a token's data.</summary>
    public static ushort Compute(in TokenData data) =>
        Compute(((ulong)data.Class << 48) | ((ulong)data.Subclass << 44) | data.Data);

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ 0xA001 : c >> 1;
            }

            table[i] = (ushort)c;
        }

        return table;
    }
}
