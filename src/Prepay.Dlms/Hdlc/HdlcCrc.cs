namespace Prepay.Dlms.Hdlc;

/// <summary>
/// The HDLC frame check sequence of IEC 62056-46 (ISO/IEC 13239): CRC-16/X.25, polynomial x^16 + x^12 + x^5 + 1
/// processed least significant bit first (0x8408 reflected), initial value 0xFFFF, result complemented, sent low
/// byte first. Its check value over ASCII "123456789" is 0x906E (the CRC catalogue's CRC-16/IBM-SDLC).
/// </summary>
public static class HdlcCrc
{
    private static readonly ushort[] Table = BuildTable();

    public static ushort Compute(ReadOnlySpan<byte> bytes)
    {
        ushort crc = 0xFFFF;
        foreach (byte b in bytes)
        {
            crc = (ushort)((crc >> 8) ^ Table[(crc ^ b) & 0xFF]);
        }
        return unchecked((ushort)~crc);
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            ushort value = (ushort)i;
            for (int bit = 0; bit < 8; bit++)
            {
                value = (value & 1) != 0 ? (ushort)((value >> 1) ^ 0x8408) : (ushort)(value >> 1);
            }
            table[i] = value;
        }
        return table;
    }
}
