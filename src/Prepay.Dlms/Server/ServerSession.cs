using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Server;

/// <summary>
/// One connection's association state: AARQ/AARE, RLRQ/RLRE, ciphering with suite 0 and the replay check, then
/// GET, SET and ACTION handed to <see cref="XdlmsServices"/>. A ciphered association accepts only ciphered
/// requests (Green Book: the security policy applies to every xDLMS APDU once established).
/// </summary>
internal sealed class ServerSession(DlmsServerOptions options)
{
    private readonly AssociationAcceptor _acceptor = new(options);
    private AcceptedAssociation? _association;
    private XdlmsServices? _services;

    public byte[]? Handle(ushort clientSap, ReadOnlySpan<byte> bytes)
    {
        var apdu = Apdu.Decode(bytes);
        switch (apdu)
        {
            case Aarq aarq:
                var (answer, accepted) = _acceptor.Accept(clientSap, aarq);
                _association = accepted;
                if (accepted?.ClientSystemTitle is { } clientTitle)
                {
                    options.Security.Setup.ClientSystemTitle = clientTitle;
                }
                _services = accepted is null ? null : new XdlmsServices(options, accepted.Object, ciphered: accepted.ClientSystemTitle is not null);
                return answer.Encode();
            case Rlrq:
                _association = null;
                _services = null;
                return new Rlre().Encode();
            case CipheredApdu ciphered when _association?.ClientSystemTitle is { } title && options.Suite is { } suite:
                return HandleCiphered(suite, title, ciphered);
            case GetRequest or SetRequest or ActionRequest when _services is not null && _association!.ClientSystemTitle is null:
                return _services.Handle(apdu).Encode();
            default:
                return new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.OperationNotPossible).Encode();
        }
    }

    private byte[] HandleCiphered(SecuritySuite0 suite, Octets clientTitle, CipheredApdu ciphered)
    {
        byte[] plain;
        try
        {
            plain = suite.Unprotect(ciphered, clientTitle.Span);
        }
        catch (DlmsFormatException)
        {
            return new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.DecipheringError).Encode();
        }
        if (!ciphered.Control.Authenticated || !ciphered.Control.Encrypted)
        {
            return new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.DecipheringError).Encode();
        }
        // Green Book: a counter not above the last one accepted is a replay; the expected minimum is returned.
        if (!options.ReceivedCounters.TryAccept(clientTitle, ciphered.InvocationCounter))
        {
            uint expected = (options.ReceivedCounters.LastAccepted(clientTitle) ?? 0) + 1;
            return new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.InvocationCounterError, expected).Encode();
        }
        var request = Apdu.Decode(plain);
        if (request is not (GetRequest or SetRequest or ActionRequest))
        {
            return new ExceptionResponse(StateError.ServiceNotAllowed, ServiceError.OperationNotPossible).Encode();
        }
        var response = _services!.Handle(request);
        return suite.ProtectEncoded(SecurityControl.AuthenticatedEncryption, options.SystemTitle.Span, options.OutgoingCounter.Reserve(), response);
    }
}
