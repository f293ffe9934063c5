using System.Security.Cryptography;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Server;

/// <summary>An association the server accepted: its object, and the client's system title when ciphered.</summary>
internal sealed record AcceptedAssociation(AssociationLn Object, Octets? ClientSystemTitle);

/// <summary>
/// Answers an AARQ (Green Book, "The COSEM application layer", ACSE services): which client, which mechanism,
/// which key. Refusals carry the ACSE service-user diagnostic: 2 application-context-name-not-supported,
/// 11 mechanism-name-not-recognised, 12 mechanism-name-required, 13 authentication-failure. An accepted HLS
/// association starts pending (diagnostic 14 authentication-required) until reply_to_HLS_authentication.
/// </summary>
internal sealed class AssociationAcceptor(DlmsServerOptions options)
{
    private const Conformance Offered = Conformance.Get | Conformance.Set | Conformance.Action | Conformance.SelectiveAccess
        | Conformance.BlockTransferWithGetOrRead | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction
        | Conformance.MultipleReferences;

    public (Aare Answer, AcceptedAssociation? Accepted) Accept(ushort clientSap, Aarq aarq)
    {
        if (clientSap == DlmsServerOptions.PublicClient)
        {
            return Plain(clientSap, aarq, AuthenticationMechanism.Lowest, ReadOnlyPublic());
        }
        if (clientSap != DlmsServerOptions.ManagementClient)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 1)), null);
        }
        if (options.Suite is not null)
        {
            return HighGmac(clientSap, aarq, options.Suite);
        }
        if (options.Password is { } password)
        {
            if (aarq.Mechanism is null)
            {
                return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 12)), null);
            }
            if (aarq.Mechanism != AuthenticationMechanism.Low)
            {
                return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 11)), null);
            }
            if (aarq.CallingAuthenticationValue is not { } given || !CryptographicOperations.FixedTimeEquals(given.Span, password))
            {
                return (Refuse(aarq, AssociateDiagnostic.AuthenticationFailure), null);
            }
            return Plain(clientSap, aarq, AuthenticationMechanism.Low, AccessRights.Full);
        }
        return Plain(clientSap, aarq, AuthenticationMechanism.Lowest, AccessRights.Full);
    }

    private AccessRights ReadOnlyPublic() => options.PublicObjects is not { } visible
        ? AccessRights.ReadOnly
        : new AccessRights((o, _) => visible.Contains(o.LogicalName) || o.ClassId == AssociationLn.Class || o.LogicalName == ServerSecurityObjects.CounterName ? AttributeAccess.ReadOnly : AttributeAccess.NoAccess, (_, _) => false);

    private (Aare, AcceptedAssociation?) Plain(ushort clientSap, Aarq aarq, AuthenticationMechanism mechanism, AccessRights rights)
    {
        if (aarq.ApplicationContext != ApplicationContext.LogicalName)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 2)), null);
        }
        if (mechanism == AuthenticationMechanism.Lowest && aarq.Mechanism is { } asked && asked != AuthenticationMechanism.Lowest)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 11)), null);
        }
        if (ReadInitiate(aarq.UserInformation) is not { } initiate)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 1)), null);
        }
        var association = NewAssociation(clientSap, ApplicationContext.LogicalName, mechanism, rights, initiate, _ => null);
        association.Status = AssociationStatus.Associated;
        var response = Response(association);
        return (new Aare(ApplicationContext.LogicalName, AssociationResult.Accepted, AssociateDiagnostic.Null,
            new Octets(response.Encode()), Mechanism: mechanism == AuthenticationMechanism.Lowest ? null : mechanism), new AcceptedAssociation(association, null));
    }

    private (Aare, AcceptedAssociation?) HighGmac(ushort clientSap, Aarq aarq, SecuritySuite0 suite)
    {
        if (aarq.ApplicationContext != ApplicationContext.LogicalNameCiphered)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 2)), null);
        }
        if (aarq.Mechanism is null)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 12)), null);
        }
        if (aarq.Mechanism != AuthenticationMechanism.HighGmac)
        {
            return (Refuse(aarq, new AssociateDiagnostic(DiagnosticSource.ServiceUser, 11)), null);
        }
        if (aarq.CallingApTitle is not { Length: SecuritySuite0.SystemTitleSize } clientTitle
            || aarq.CallingAuthenticationValue is not { Length: >= 8 and <= 64 } clientChallenge
            || aarq.UserInformation is not { } information)
        {
            return (Refuse(aarq, AssociateDiagnostic.AuthenticationFailure), null);
        }
        InitiateRequest initiate;
        try
        {
            // The glo-initiate-request proves the client holds the keys; its counter must be fresh.
            var ciphered = Apdu.Decode(information.Span) as CipheredApdu ?? throw new DlmsFormatException("A glo-initiate-request is expected.");
            var plain = suite.Unprotect(ciphered, clientTitle.Span);
            initiate = Apdu.Decode(plain) as InitiateRequest ?? throw new DlmsFormatException("An InitiateRequest is expected.");
            if (!ciphered.Control.Authenticated || !options.ReceivedCounters.TryAccept(clientTitle, ciphered.InvocationCounter))
            {
                return (Refuse(aarq, AssociateDiagnostic.AuthenticationFailure), null);
            }
        }
        catch (DlmsFormatException)
        {
            return (Refuse(aarq, AssociateDiagnostic.AuthenticationFailure), null);
        }
        var serverChallenge = new Octets(RandomNumberGenerator.GetBytes(16));
        var association = NewAssociation(clientSap, ApplicationContext.LogicalNameCiphered, AuthenticationMechanism.HighGmac,
            AccessRights.HlsPending, initiate, answer => CheckHls(suite, clientTitle, clientChallenge, serverChallenge, answer), AccessRights.Full);
        var response = Response(association).Encode();
        var protectedResponse = suite.Protect(GloTags.For(response[0]), SecurityControl.AuthenticatedEncryption,
            options.SystemTitle.Span, options.OutgoingCounter.Reserve(), response);
        var aare = new Aare(ApplicationContext.LogicalNameCiphered, AssociationResult.Accepted, AssociateDiagnostic.AuthenticationRequired,
            new Octets(protectedResponse.Encode()), options.SystemTitle, AuthenticationMechanism.HighGmac, serverChallenge);
        return (aare, new AcceptedAssociation(association, clientTitle));
    }

    // HLS pass 3: f(StoC) = SC || IC || GMAC(SC || AK || StoC) under the client's system title. Its IC is not held
    // against the replay store: the fresh server challenge already makes a replayed answer useless.
    // Pass 4: f(CtoS) under the server's system title and a newly reserved counter.
    private Octets? CheckHls(SecuritySuite0 suite, Octets clientTitle, Octets clientChallenge, Octets serverChallenge, Octets answer)
    {
        if (answer.Length != 5 + SecuritySuite0.TagSize || answer[0] != SecurityControl.AuthenticationOnly.Value)
        {
            return null;
        }
        uint counter = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(answer.Span[1..5]);
        var expected = suite.ChallengeResponse(clientTitle.Span, counter, serverChallenge.Span);
        if (!CryptographicOperations.FixedTimeEquals(expected, answer.Span))
        {
            return null;
        }
        return Octets.Own(suite.ChallengeResponse(options.SystemTitle.Span, options.OutgoingCounter.Reserve(), clientChallenge.Span));
    }

    private AssociationLn NewAssociation(ushort clientSap, ApplicationContext context, AuthenticationMechanism mechanism, AccessRights rights,
        InitiateRequest initiate, Func<Octets, Octets?> replyToHls, AccessRights? rightsWhenAuthenticated = null)
    {
        AssociationLn? association = null;
        association = new AssociationLn(() => [.. options.ServedObjects, association!], rights, (sbyte)clientSap, options.LogicalDevice, context, mechanism, replyToHls)
        {
            Conformance = initiate.ProposedConformance & Offered,
            RightsWhenAuthenticated = rightsWhenAuthenticated,
            MaxReceivePduSize = options.MaxReceivePduSize,
            MaxSendPduSize = initiate.ClientMaxReceivePduSize is 0 or > 0xFFF0 ? (ushort)0xFFF0 : Math.Max(initiate.ClientMaxReceivePduSize, (ushort)64),
        };
        return association;
    }

    private InitiateResponse Response(AssociationLn association) => new(association.Conformance, options.MaxReceivePduSize);

    private static InitiateRequest? ReadInitiate(Octets? information)
    {
        try
        {
            return information is { } bytes ? Apdu.Decode(bytes.Span) as InitiateRequest : null;
        }
        catch (DlmsFormatException)
        {
            return null;
        }
    }

    private static Aare Refuse(Aarq aarq, AssociateDiagnostic diagnostic) =>
        new(aarq.ApplicationContext, AssociationResult.RejectedPermanent, diagnostic, null);
}
