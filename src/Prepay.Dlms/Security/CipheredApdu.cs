using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Security;

/// <summary>
/// A service-specific ciphered APDU (Green Book, glo-/ded- APDUs, e.g. glo-get-request [200] = 0xC8): its tag, an
/// A-XDR length, then the security header (security control byte, invocation counter Unsigned32) and the
/// ciphered or plain APDU with its 12-byte authentication tag when authenticated. The system title is not carried:
/// it is the peer's, learnt in the association.
/// </summary>
public sealed record CipheredApdu(byte CipheredTag, SecurityControl Control, uint InvocationCounter, Octets Payload) : Apdu
{
    /// <summary>
    /// The glo- (global key) and ded- (dedicated key) tags of the ciphered xDLMS services, initiate included:
    /// glo: 0x21 initiate-request, 0x28 initiate-response, 0xC8-0xCB and 0xCC, 0xCD, 0xCF get/set/event/action;
    /// ded: 0xD0-0xD3, 0xD4, 0xD5, 0xD7.
    /// </summary>
    public static IReadOnlyList<byte> Tags { get; } =
        [0x21, 0x28, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCD, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD7];

    public override ApduTag Tag => (ApduTag)CipheredTag;

    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteLength(5 + Payload.Length);
        writer.WriteByte(Control.Value);
        writer.WriteUInt32(InvocationCounter);
        writer.WriteBytes(Payload.Span);
    }

    internal static CipheredApdu Read(byte tag, ref DlmsReader outer)
    {
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadLength()));
        var control = new SecurityControl(reader.ReadByte());
        uint counter = reader.ReadUInt32();
        return new CipheredApdu(tag, control, counter, new Octets(reader.ReadBytes(reader.Remaining)));
    }
}

/// <summary>
/// general-glo-ciphering [219] (Green Book): any APDU ciphered with the global key, carrying the sender's system
/// title: system-title OCTET STRING, ciphered-content OCTET STRING (security header and payload as above).
/// </summary>
public sealed record GeneralGloCiphering(Octets SystemTitle, SecurityControl Control, uint InvocationCounter, Octets Payload) : Apdu
{
    public override ApduTag Tag => (ApduTag)0xDB;

    internal override void WriteBody(DlmsWriter writer)
    {
        writer.WriteOctetString(SystemTitle.Span);
        writer.WriteLength(5 + Payload.Length);
        writer.WriteByte(Control.Value);
        writer.WriteUInt32(InvocationCounter);
        writer.WriteBytes(Payload.Span);
    }

    internal static GeneralGloCiphering Read(ref DlmsReader outer)
    {
        var title = outer.ReadOctetString();
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadLength()));
        var control = new SecurityControl(reader.ReadByte());
        uint counter = reader.ReadUInt32();
        return new GeneralGloCiphering(title, control, counter, new Octets(reader.ReadBytes(reader.Remaining)));
    }
}
