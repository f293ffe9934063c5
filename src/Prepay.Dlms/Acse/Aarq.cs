using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>
/// AARQ [APPLICATION 0], the association request (ISO/IEC 8650-1 ACSE as profiled by the Green Book), BER encoded.
/// Fields used by DLMS: application-context-name [1], calling-AP-title [6] (the client's system title),
/// sender-acse-requirements [10] (written when a mechanism is named), mechanism-name [11],
/// calling-authentication-value [12] (password or challenge, GraphicString [0]) and user-information [30] (the
/// xDLMS InitiateRequest, plain or ciphered, as an OCTET STRING). Other fields are skipped when read.
/// </summary>
public sealed record Aarq(
    ApplicationContext ApplicationContext,
    Octets? UserInformation,
    Octets? CallingApTitle = null,
    AuthenticationMechanism? Mechanism = null,
    Octets? CallingAuthenticationValue = null) : Apdu
{
    public override ApduTag Tag => ApduTag.Aarq;

    internal override void WriteBody(DlmsWriter writer)
    {
        var content = new DlmsWriter();
        Ber.WriteWrapped(content, 0xA1, Ber.ObjectIdentifier, Ber.DlmsUaName(1, (byte)ApplicationContext));
        if (CallingApTitle is { } title)
        {
            Ber.WriteWrapped(content, 0xA6, Ber.OctetString, title.Span);
        }
        if (Mechanism is { } mechanism)
        {
            Ber.WriteElement(content, 0x8A, [0x07, 0x80]); // BIT STRING, 7 unused bits, authentication(0) set
            Ber.WriteElement(content, 0x8B, Ber.DlmsUaName(2, (byte)mechanism));
        }
        if (CallingAuthenticationValue is { } value)
        {
            Ber.WriteWrapped(content, 0xAC, 0x80, value.Span);
        }
        if (UserInformation is { } information)
        {
            Ber.WriteWrapped(content, 0xBE, Ber.OctetString, information.Span);
        }
        writer.WriteOctetString(content.WrittenSpan);
    }

    internal static Aarq Read(ref DlmsReader outer)
    {
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadBoundedLength()));
        ApplicationContext? context = null;
        Octets? title = null, value = null, information = null;
        AuthenticationMechanism? mechanism = null;
        while (!reader.AtEnd)
        {
            var content = Ber.ReadElement(ref reader, out byte tag);
            switch (tag)
            {
                case 0xA1:
                    context = (ApplicationContext)Ber.ReadDlmsUaName(Ber.Expect(content, Ber.ObjectIdentifier, "application-context-name"), 1, "Application context");
                    break;
                case 0xA6:
                    title = new Octets(Ber.Expect(content, Ber.OctetString, "calling-AP-title"));
                    break;
                case 0x8B:
                    mechanism = (AuthenticationMechanism)Ber.ReadDlmsUaName(content, 2, "Mechanism name");
                    break;
                case 0xAC:
                    value = new Octets(Ber.Expect(content, 0x80, "calling-authentication-value"));
                    break;
                case 0xBE:
                    information = new Octets(Ber.Expect(content, Ber.OctetString, "user-information"));
                    break;
            }
        }
        return new Aarq(
            context ?? throw new DlmsFormatException("An AARQ names its application context."),
            information, title, mechanism, value);
    }
}
