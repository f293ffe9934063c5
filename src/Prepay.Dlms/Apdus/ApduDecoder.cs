using Prepay.Dlms.Acse;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Apdus;

/// <summary>
/// Picks the reader of an APDU by its first byte from a table, one line per APDU; each reader cites its clause.
/// </summary>
public static class ApduDecoder
{
    private delegate Apdu BodyReader(ref DlmsReader reader);

    private static readonly BodyReader?[] Readers = BuildReaders();

    public static Apdu Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new DlmsReader(bytes);
        byte tag = reader.ReadByte();
        var read = Readers[tag] ?? throw new DlmsFormatException($"APDU tag 0x{tag:X2} is not supported.");
        var apdu = read(ref reader);
        reader.ExpectEnd($"APDU 0x{tag:X2}");
        return apdu;
    }

    public static bool IsSupported(byte tag) => Readers[tag] is not null;

    private static BodyReader?[] BuildReaders()
    {
        var table = new BodyReader?[256];
        table[(int)ApduTag.InitiateRequest] = static (ref DlmsReader r) => InitiateRequest.Read(ref r);
        table[(int)ApduTag.InitiateResponse] = static (ref DlmsReader r) => InitiateResponse.Read(ref r);
        table[(int)ApduTag.ConfirmedServiceError] = static (ref DlmsReader r) => ConfirmedServiceError.Read(ref r);
        table[(int)ApduTag.DataNotification] = static (ref DlmsReader r) => DataNotification.Read(ref r);
        table[(int)ApduTag.Aarq] = static (ref DlmsReader r) => Aarq.Read(ref r);
        table[(int)ApduTag.Aare] = static (ref DlmsReader r) => Aare.Read(ref r);
        table[(int)ApduTag.Rlrq] = static (ref DlmsReader r) => Rlrq.Read(ref r);
        table[(int)ApduTag.Rlre] = static (ref DlmsReader r) => Rlre.Read(ref r);
        table[(int)ApduTag.GetRequest] = static (ref DlmsReader r) => GetRequest.Read(ref r);
        table[(int)ApduTag.SetRequest] = static (ref DlmsReader r) => SetRequest.Read(ref r);
        table[(int)ApduTag.EventNotificationRequest] = static (ref DlmsReader r) => EventNotification.Read(ref r);
        table[(int)ApduTag.ActionRequest] = static (ref DlmsReader r) => ActionRequest.Read(ref r);
        table[(int)ApduTag.GetResponse] = static (ref DlmsReader r) => GetResponse.Read(ref r);
        table[(int)ApduTag.SetResponse] = static (ref DlmsReader r) => SetResponse.Read(ref r);
        table[(int)ApduTag.ActionResponse] = static (ref DlmsReader r) => ActionResponse.Read(ref r);
        table[(int)ApduTag.ExceptionResponse] = static (ref DlmsReader r) => ExceptionResponse.Read(ref r);
        table[0xDB] = static (ref DlmsReader r) => GeneralGloCiphering.Read(ref r);
        foreach (byte tag in CipheredApdu.Tags)
        {
            table[tag] = (ref DlmsReader r) => CipheredApdu.Read(tag, ref r);
        }
        return table;
    }
}
