using Prepay.Dlms;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// Delivering an STS token through the token gateway 0.0.19.40.0.255 (class 115, Blue Book §4.6.5): method 1
/// enter with the token's 20 digits as an octet-string, then token_status (attribute 6). The ACTION only says the
/// token was received; whether the meter executed it is in token_status, so a token the decoder refuses (a used
/// TID, a wrong key) is <see cref="DlmsProblem.TokenRejected"/> with the status named.
/// </summary>
public static class TokenDelivery
{
    private const ushort GatewayClass = 115;

    public static async Task<DlmsOutcome<TokenStatusCode>> DeliverTokenAsync(this DlmsMeterSession session, string token,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (token is not { Length: 20 } || !token.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("An STS token has 20 digits.", nameof(token));
        }
        var entered = await session.InvokeAsync(new CosemMethodDescriptor(GatewayClass, TokenGateway.StandardName, 1),
            new OctetString(new Octets(System.Text.Encoding.ASCII.GetBytes(token))), cancellationToken).ConfigureAwait(false);
        if (!entered.IsSuccess)
        {
            return entered.Failure<TokenStatusCode>();
        }
        var status = await session.ReadTokenStatusAsync(cancellationToken).ConfigureAwait(false);
        return status.Map(code => code == TokenStatusCode.ExecutionOk
            ? DlmsOutcome.Success(code)
            : DlmsOutcome.Reject<TokenStatusCode>(DlmsProblem.TokenRejected, $"The meter did not execute the token: {code}."));
    }

    /// <summary>token_status: structure { status_code enum, data_value bit-string }.</summary>
    public static async Task<DlmsOutcome<TokenStatusCode>> ReadTokenStatusAsync(this DlmsMeterSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var read = await session.GetAsync(new CosemAttributeDescriptor(GatewayClass, TokenGateway.StandardName, 6), null, cancellationToken).ConfigureAwait(false);
        return read.Map(v => v is DlmsStructure { Fields: [DlmsEnum { Value: <= (byte)TokenStatusCode.ReceivedNotProcessed } code, ..] }
            ? DlmsOutcome.Success((TokenStatusCode)code.Value)
            : DlmsOutcome.Reject<TokenStatusCode>(DlmsProblem.MalformedAnswer, "token_status is not {status_code, data_value}."));
    }
}
