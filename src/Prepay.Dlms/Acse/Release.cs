using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>Release-request-reason (ACSE): 0 normal, 1 urgent, 30 user-defined.</summary>
public enum ReleaseRequestReason : byte
{
    Normal = 0,
    Urgent = 1,
    UserDefined = 30,
}

/// <summary>Release-response-reason (ACSE): 0 normal, 1 not-finished, 30 user-defined.</summary>
public enum ReleaseResponseReason : byte
{
    Normal = 0,
    NotFinished = 1,
    UserDefined = 30,
}

/// <summary>
/// RLRQ [APPLICATION 2] and RLRE [APPLICATION 3] (ACSE as profiled by the Green Book): an optional reason [0]
/// (an implicit INTEGER) and optional user-information [30] (a ciphered InitiateRequest/Response when the
/// association used ciphering).
/// </summary>
internal static class ReleaseFields
{
    public static void Write(DlmsWriter writer, byte? reason, Octets? information)
    {
        var content = new DlmsWriter();
        if (reason is { } r)
        {
            Ber.WriteElement(content, 0x80, Ber.SmallInteger(r));
        }
        if (information is { } info)
        {
            Ber.WriteWrapped(content, 0xBE, Ber.OctetString, info.Span);
        }
        writer.WriteOctetString(content.WrittenSpan);
    }

    public static (byte? Reason, Octets? Information) Read(ref DlmsReader outer)
    {
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadBoundedLength()));
        byte? reason = null;
        Octets? information = null;
        while (!reader.AtEnd)
        {
            var content = Ber.ReadElement(ref reader, out byte tag);
            if (tag == 0x80)
            {
                reason = Ber.ReadSmallInteger(content, "release reason");
            }
            else if (tag == 0xBE)
            {
                information = new Octets(Ber.Expect(content, Ber.OctetString, "user-information"));
            }
        }
        return (reason, information);
    }
}

public sealed record Rlrq(ReleaseRequestReason? Reason = ReleaseRequestReason.Normal, Octets? UserInformation = null) : Apdu
{
    public override ApduTag Tag => ApduTag.Rlrq;

    internal override void WriteBody(DlmsWriter writer) => ReleaseFields.Write(writer, (byte?)Reason, UserInformation);

    internal static Rlrq Read(ref DlmsReader reader)
    {
        var (reason, information) = ReleaseFields.Read(ref reader);
        return new Rlrq((ReleaseRequestReason?)reason, information);
    }
}

public sealed record Rlre(ReleaseResponseReason? Reason = ReleaseResponseReason.Normal, Octets? UserInformation = null) : Apdu
{
    public override ApduTag Tag => ApduTag.Rlre;

    internal override void WriteBody(DlmsWriter writer) => ReleaseFields.Write(writer, (byte?)Reason, UserInformation);

    internal static Rlre Read(ref DlmsReader reader)
    {
        var (reason, information) = ReleaseFields.Read(ref reader);
        return new Rlre((ReleaseResponseReason?)reason, information);
    }
}
