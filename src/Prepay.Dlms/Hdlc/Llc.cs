namespace Prepay.Dlms.Hdlc;

/// <summary>
/// The LLC header that precedes every APDU in an HDLC I or UI frame (IEC 62056-46 §8 / Green Book): destination
/// LSAP 0xE6, source LSAP 0xE6 for a command (client to server) or 0xE7 for a response, then the quality byte 0x00.
/// </summary>
public static class Llc
{
    public const int Size = 3;
    private const byte Lsap = 0xE6;
    private const byte ResponseLsap = 0xE7;
    private const byte Quality = 0x00;

    public static byte[] WrapRequest(ReadOnlySpan<byte> apdu) => Wrap(apdu, Lsap);

    public static byte[] WrapResponse(ReadOnlySpan<byte> apdu) => Wrap(apdu, ResponseLsap);

    /// <summary>The APDU after the LLC header; <paramref name="isResponse"/> tells which header it was.</summary>
    public static ReadOnlySpan<byte> Unwrap(ReadOnlySpan<byte> information, out bool isResponse)
    {
        if (information.Length < Size || information[0] != Lsap || information[1] is not (Lsap or ResponseLsap) || information[2] != Quality)
        {
            throw new DlmsFormatException("An HDLC information field starts with the LLC header E6 E6 00 or E6 E7 00.");
        }
        isResponse = information[1] == ResponseLsap;
        return information[Size..];
    }

    private static byte[] Wrap(ReadOnlySpan<byte> apdu, byte source)
    {
        var bytes = new byte[Size + apdu.Length];
        bytes[0] = Lsap;
        bytes[1] = source;
        bytes[2] = Quality;
        apdu.CopyTo(bytes.AsSpan(Size));
        return bytes;
    }
}
