using Prepay.Dlms.Acse;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Client;

/// <summary>
/// How a client associates: its wPort (16 public, 1 management), the server's, and the mechanism: lowest (none),
/// low (<see cref="Password"/>) or HLS-GMAC (<see cref="Suite"/> with <see cref="SystemTitle"/>; APDUs then
/// ciphered with authenticated encryption). The outgoing counter store should be durable
/// (<see cref="FileInvocationCounter"/>) when the keys outlive the process.
/// </summary>
public sealed class DlmsClientOptions
{
    public ushort ClientAddress { get; init; } = 16;

    public ushort ServerAddress { get; init; } = 1;

    public AuthenticationMechanism Mechanism { get; init; } = AuthenticationMechanism.Lowest;

    public byte[]? Password { get; init; }

    public Octets SystemTitle { get; init; } = Octets.FromHex("5052455041594331");

    public SecuritySuite0? Suite { get; init; }

    public IInvocationCounterStore OutgoingCounter { get; init; } = new MemoryInvocationCounter();

    public ushort MaxReceivePduSize { get; init; } = 1024;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>The server refused the association; <see cref="Diagnostic"/> says why (ACSE service-user values).</summary>
public sealed class DlmsAssociationRefusedException(AssociateDiagnostic diagnostic)
    : Exception($"The server refused the association: {diagnostic.Source} diagnostic {diagnostic.Value}.")
{
    public AssociateDiagnostic Diagnostic { get; } = diagnostic;
}

/// <summary>The server answered an xDLMS request with an ExceptionResponse (a replayed counter, say).</summary>
public sealed class DlmsServiceRefusedException(Apdus.ExceptionResponse response)
    : Exception($"The server refused the request: {response.StateError}, {response.ServiceError}.")
{
    public Apdus.ExceptionResponse Response { get; } = response;
}
