using System.Net.Sockets;
using Prepay.Dlms;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Client;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Domain.Metering;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// One association with one meter: TCP connect (within the endpoint's connect timeout), AARQ/AARE with the
/// endpoint's mechanism (HLS-GMAC: the four passes, then every APDU glo-ciphered with a counter persisted before
/// use), requests one at a time, RLRQ/RLRE. Every operation returns a <see cref="DlmsOutcome{T}"/>; a timeout, a
/// broken connection or an unparsable answer leaves the stream in an unknown state, so the session refuses further
/// requests (<see cref="DlmsProblem.SessionBroken"/>) and the caller opens a new one. Not for concurrent use.
/// </summary>
public sealed class DlmsMeterSession : IAsyncDisposable
{
    private readonly DlmsClient _client;
    private readonly SecuritySuite0? _suite;

    private DlmsMeterSession(DlmsMeterEndpoint endpoint, DlmsClient client, SecuritySuite0? suite)
    {
        Endpoint = endpoint;
        _client = client;
        _suite = suite;
    }

    public DlmsMeterEndpoint Endpoint { get; }

    public MeterNumber Meter => Endpoint.Meter;

    /// <summary>True once a failure made the stream unusable.</summary>
    public bool Broken { get; private set; }

    /// <summary>Connects and associates; a refusal, a timeout or a broken connection is a named outcome.</summary>
    public static async Task<DlmsOutcome<DlmsMeterSession>> OpenAsync(DlmsMeterEndpoint endpoint, IDlmsKeyProvider keyProvider,
        DlmsCounterDirectory counters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(keyProvider);
        ArgumentNullException.ThrowIfNull(counters);
        var keys = endpoint.Authentication == DlmsAuthentication.None ? null : keyProvider.KeysFor(endpoint.Meter);
        bool keysFit = endpoint.Authentication switch
        {
            DlmsAuthentication.HighGmac => keys is { HasGmacKeys: true },
            DlmsAuthentication.Low => keys is { HasPassword: true },
            _ => true,
        };
        if (!keysFit)
        {
            return DlmsOutcome.Reject<DlmsMeterSession>(DlmsProblem.NoKeys, $"No {endpoint.Authentication} keys are configured for meter {endpoint.Meter}.");
        }
        var suite = endpoint.Authentication == DlmsAuthentication.HighGmac ? keys!.CreateSuite() : null;
        var options = new DlmsClientOptions
        {
            ClientAddress = endpoint.ClientAddress,
            ServerAddress = endpoint.ServerAddress,
            Mechanism = endpoint.Authentication switch
            {
                DlmsAuthentication.HighGmac => AuthenticationMechanism.HighGmac,
                DlmsAuthentication.Low => AuthenticationMechanism.Low,
                _ => AuthenticationMechanism.Lowest,
            },
            Password = endpoint.Authentication == DlmsAuthentication.Low ? keys!.Password() : null,
            SystemTitle = endpoint.ClientSystemTitle,
            Suite = suite,
            OutgoingCounter = suite is null ? new MemoryInvocationCounter() : counters.For(endpoint.Meter, endpoint.ClientSystemTitle),
            MaxReceivePduSize = endpoint.MaxReceivePduSize,
            Timeout = endpoint.ResponseTimeout,
        };
        DlmsClient? client = null;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(endpoint.ConnectTimeout);
                client = await DlmsClient.ConnectAsync(endpoint.Host, endpoint.Port, options, connect.Token).ConfigureAwait(false);
            }
            await client.AssociateAsync(cancellationToken).ConfigureAwait(false);
            if (endpoint.MeterSystemTitle is { } expected && client.ServerSystemTitle is { } answered && !expected.Span.SequenceEqual(answered.Span))
            {
                await DisposeQuietlyAsync(client, suite).ConfigureAwait(false);
                return DlmsOutcome.Reject<DlmsMeterSession>(DlmsProblem.AuthenticationFailed,
                    $"Meter {endpoint.Meter} answered with system title {Convert.ToHexString(answered.Span)}, not the registered {Convert.ToHexString(expected.Span)}.");
            }
            return DlmsOutcome.Success(new DlmsMeterSession(endpoint, client, suite));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Classify(e) is { } failure)
        {
            await DisposeQuietlyAsync(client, suite).ConfigureAwait(false);
            return failure.Failure<DlmsMeterSession>();
        }
        catch
        {
            await DisposeQuietlyAsync(client, suite).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>GET one attribute (with selective access when given); a Data-Access-Result other than success is refused.</summary>
    public Task<DlmsOutcome<DlmsValue>> GetAsync(CosemAttributeDescriptor attribute, SelectiveAccess? access = null, CancellationToken cancellationToken = default) =>
        GuardAsync(async ct =>
        {
            var read = await _client.GetAsync(attribute, access, ct).ConfigureAwait(false);
            return read.Result == DataAccessResult.Success && read.Value is { } value
                ? DlmsOutcome.Success(value)
                : DlmsOutcome.Reject<DlmsValue>(DlmsProblem.AccessRefused, $"GET {attribute}: {read.Result}");
        }, cancellationToken);

    /// <summary>
    /// GET one attribute (with selective access when given) and hand its encoded Data, the blocks of a long answer
    /// joined, to <paramref name="read"/> without decoding it into a tree; the pooled buffer is cleared and given back
    /// once <paramref name="read"/> returns. The same outcomes as <see cref="GetAsync"/>: a Data-Access-Result other
    /// than success is refused, and a <see cref="DlmsFormatException"/> thrown by <paramref name="read"/> is a
    /// malformed answer.
    /// </summary>
    public Task<DlmsOutcome<T>> GetEncodedAsync<T>(CosemAttributeDescriptor attribute, SelectiveAccess? access, EncodedValueReader<T> read,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(read);
        return GuardAsync(async ct =>
        {
            using var answer = await _client.GetEncodedAsync(attribute, access, ct).ConfigureAwait(false);
            return answer.Result == DataAccessResult.Success
                ? read(answer.Data)
                : DlmsOutcome.Reject<T>(DlmsProblem.AccessRefused, $"GET {attribute}: {answer.Result}");
        }, cancellationToken);
    }

    /// <summary>SET one attribute; a Data-Access-Result other than success is refused.</summary>
    public Task<DlmsOutcome<DataAccessResult>> SetAsync(CosemAttributeDescriptor attribute, DlmsValue value, CancellationToken cancellationToken = default) =>
        GuardAsync(async ct =>
        {
            var result = await _client.SetAsync(attribute, value, ct).ConfigureAwait(false);
            return result == DataAccessResult.Success
                ? DlmsOutcome.Success(result)
                : DlmsOutcome.Reject<DataAccessResult>(DlmsProblem.AccessRefused, $"SET {attribute}: {result}");
        }, cancellationToken);

    /// <summary>ACTION on one method; an Action-Result other than success is refused. The value is the return parameters, if any.</summary>
    public Task<DlmsOutcome<DlmsValue?>> InvokeAsync(CosemMethodDescriptor method, DlmsValue? parameters = null, CancellationToken cancellationToken = default) =>
        GuardAsync(async ct =>
        {
            var outcome = await _client.ActionAsync(method, parameters, ct).ConfigureAwait(false);
            return outcome.Result == ActionResult.Success
                ? DlmsOutcome.Success(outcome.ReturnValue)
                : DlmsOutcome.Reject<DlmsValue?>(DlmsProblem.ActionRefused, $"ACTION {method}: {outcome.Result}");
        }, cancellationToken);

    /// <summary>RLRQ → RLRE, then the connection closes. A failed release is reported, and the connection closes all the same.</summary>
    public async Task<DlmsOutcome<bool>> CloseAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await GuardAsync(async ct =>
            {
                await _client.ReleaseAsync(ct).ConfigureAwait(false);
                return DlmsOutcome.Success(true);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Broken = true;
        await DisposeQuietlyAsync(_client, _suite).ConfigureAwait(false);
    }

    private async Task<DlmsOutcome<T>> GuardAsync<T>(Func<CancellationToken, Task<DlmsOutcome<T>>> work, CancellationToken cancellationToken)
    {
        if (Broken)
        {
            return DlmsOutcome.Transient<T>(DlmsProblem.SessionBroken, $"The session with meter {Meter} failed earlier or is closed.");
        }
        try
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && Classify(e) is { } failure)
        {
            // Only a refusal that arrived as one whole APDU leaves the stream where the next request can start.
            Broken |= failure is not DlmsOutcome<bool>.Rejected { Problem: DlmsProblem.ServiceRefused };
            return failure.Failure<T>();
        }
        catch (OperationCanceledException)
        {
            Broken = true;
            throw;
        }
    }

    /// <summary>Protocol and transport failures as named outcomes; anything else (a bug) is not caught.</summary>
    private static DlmsOutcome<bool>? Classify(Exception e) => e switch
    {
        DlmsAssociationRefusedException refused => DlmsOutcome.Reject<bool>(DlmsProblem.AssociationRefused,
            $"The meter refused the association ({refused.Diagnostic.Source} diagnostic {refused.Diagnostic.Value})."),
        DlmsAuthenticationException => DlmsOutcome.Reject<bool>(DlmsProblem.AuthenticationFailed, e.Message),
        DlmsServiceRefusedException { Response.ServiceError: ServiceError.InvocationCounterError } counter =>
            DlmsOutcome.Transient<bool>(DlmsProblem.CounterRefused, counter.Message),
        DlmsServiceRefusedException service => DlmsOutcome.Reject<bool>(DlmsProblem.ServiceRefused, service.Message),
        DlmsFormatException => DlmsOutcome.Reject<bool>(DlmsProblem.MalformedAnswer, e.Message),
        OperationCanceledException => DlmsOutcome.Transient<bool>(DlmsProblem.Timeout, "The meter did not answer in time."),
        SocketException or IOException or ObjectDisposedException => DlmsOutcome.Transient<bool>(DlmsProblem.ConnectionFailed, e.Message),
        _ => null,
    };

    private static async ValueTask DisposeQuietlyAsync(DlmsClient? client, SecuritySuite0? suite)
    {
        if (client is not null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }
        suite?.Dispose();
    }
}
