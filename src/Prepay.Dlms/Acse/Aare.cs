using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;

namespace Prepay.Dlms.Acse;

/// <summary>
/// AARE [APPLICATION 1], the association response (ISO/IEC 8650-1 ACSE as profiled by the Green Book), BER encoded:
/// application-context-name [1], result [2], result-source-diagnostic [3], responding-AP-title [4] (the server's
/// system title), responder-acse-requirements [8] and mechanism-name [9] (written when a mechanism is named),
/// responding-authentication-value [10] (the server's challenge) and user-information [30] (InitiateResponse,
/// ConfirmedServiceError or their ciphered form).
/// </summary>
public sealed record Aare(
    ApplicationContext ApplicationContext,
    AssociationResult Result,
    AssociateDiagnostic Diagnostic,
    Octets? UserInformation,
    Octets? RespondingApTitle = null,
    AuthenticationMechanism? Mechanism = null,
    Octets? RespondingAuthenticationValue = null) : Apdu
{
    public override ApduTag Tag => ApduTag.Aare;

    internal override void WriteBody(DlmsWriter writer)
    {
        var content = new DlmsWriter();
        Ber.WriteWrapped(content, 0xA1, Ber.ObjectIdentifier, Ber.DlmsUaName(1, (byte)ApplicationContext));
        Ber.WriteWrapped(content, 0xA2, Ber.Integer, Ber.SmallInteger((byte)Result));
        var diagnostic = new DlmsWriter();
        Ber.WriteWrapped(diagnostic, (byte)(0xA0 | (byte)Diagnostic.Source), Ber.Integer, Ber.SmallInteger(Diagnostic.Value));
        Ber.WriteElement(content, 0xA3, diagnostic.WrittenSpan);
        if (RespondingApTitle is { } title)
        {
            Ber.WriteWrapped(content, 0xA4, Ber.OctetString, title.Span);
        }
        if (Mechanism is { } mechanism)
        {
            Ber.WriteElement(content, 0x88, [0x07, 0x80]);
            Ber.WriteElement(content, 0x89, Ber.DlmsUaName(2, (byte)mechanism));
        }
        if (RespondingAuthenticationValue is { } value)
        {
            Ber.WriteWrapped(content, 0xAA, 0x80, value.Span);
        }
        if (UserInformation is { } information)
        {
            Ber.WriteWrapped(content, 0xBE, Ber.OctetString, information.Span);
        }
        writer.WriteOctetString(content.WrittenSpan);
    }

    internal static Aare Read(ref DlmsReader outer)
    {
        var reader = new DlmsReader(outer.ReadBytes(outer.ReadBoundedLength()));
        ApplicationContext? context = null;
        AssociationResult? result = null;
        AssociateDiagnostic? diagnostic = null;
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
                case 0xA2:
                    result = (AssociationResult)Ber.ReadSmallInteger(Ber.Expect(content, Ber.Integer, "result"), "result");
                    break;
                case 0xA3:
                    diagnostic = ReadDiagnostic(content);
                    break;
                case 0xA4:
                    title = new Octets(Ber.Expect(content, Ber.OctetString, "responding-AP-title"));
                    break;
                case 0x89:
                    mechanism = (AuthenticationMechanism)Ber.ReadDlmsUaName(content, 2, "Mechanism name");
                    break;
                case 0xAA:
                    value = new Octets(Ber.Expect(content, 0x80, "responding-authentication-value"));
                    break;
                case 0xBE:
                    information = new Octets(Ber.Expect(content, Ber.OctetString, "user-information"));
                    break;
            }
        }
        return new Aare(
            context ?? throw new DlmsFormatException("An AARE names its application context."),
            result ?? throw new DlmsFormatException("An AARE carries a result."),
            diagnostic ?? throw new DlmsFormatException("An AARE carries a result-source-diagnostic."),
            information, title, mechanism, value);
    }

    private static AssociateDiagnostic ReadDiagnostic(ReadOnlySpan<byte> content)
    {
        var reader = new DlmsReader(content);
        var inner = Ber.ReadElement(ref reader, out byte tag);
        reader.ExpectEnd("result-source-diagnostic");
        var source = tag switch
        {
            0xA1 => DiagnosticSource.ServiceUser,
            0xA2 => DiagnosticSource.ServiceProvider,
            _ => throw new DlmsFormatException($"Result-source-diagnostic tag 0x{tag:X2} does not exist."),
        };
        return new AssociateDiagnostic(source, Ber.ReadSmallInteger(Ber.Expect(inner, Ber.Integer, "diagnostic"), "diagnostic"));
    }
}
