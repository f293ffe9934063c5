using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using Prepay.Dlms.Acse;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;
using Prepay.Dlms.Wrapper;

namespace Prepay.Dlms.Client;

/// <summary>
/// A DLMS/COSEM client over the TCP wrapper (IEC 62056-47): associate (lowest, low or HLS-GMAC with the
/// reply_to_HLS_authentication pass), GET/SET/ACTION with block transfer both ways, release. With HLS-GMAC every
/// xDLMS APDU is glo-ciphered with a counter reserved (and persisted) before the APDU is sent, and the server's
/// counters must rise. One request at a time.
/// </summary>
public sealed class DlmsClient : IAsyncDisposable
{
    private static readonly ObisCode CurrentAssociation = new(0, 0, 40, 0, 0, 255);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly WrapperFrameReader _reader;
    private readonly DlmsClientOptions _options;
    private Octets? _serverTitle;
    private uint _lastServerCounter;
    private ushort _serverMaxPdu = 0xFFFF;

    private DlmsClient(TcpClient tcp, DlmsClientOptions options)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new WrapperFrameReader(_stream);
        _options = options;
    }

    public bool Ciphered => _serverTitle is not null;

    /// <summary>The server's system title from its AARE under HLS (responding-AP-title); null before or without HLS.</summary>
    public Octets? ServerSystemTitle => _serverTitle;

    /// <summary>The counter of the last glo-initiate-request sent: whether a refused association was a counter behind.</summary>
    internal uint? InitiateCounter { get; private set; }

    public static async Task<DlmsClient> ConnectAsync(string host, int port, DlmsClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            return new DlmsClient(tcp, options);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>AARQ → AARE and, for HLS-GMAC, the third and fourth pass; throws when refused.</summary>
    public async Task AssociateAsync(CancellationToken cancellationToken = default)
    {
        var initiate = new InitiateRequest(
            Conformance.Get | Conformance.Set | Conformance.Action | Conformance.SelectiveAccess | Conformance.BlockTransferWithGetOrRead
            | Conformance.BlockTransferWithSetOrWrite | Conformance.BlockTransferWithAction | Conformance.MultipleReferences,
            _options.MaxReceivePduSize).Encode();
        Aarq aarq;
        Octets? clientChallenge = null;
        switch (_options.Mechanism)
        {
            case AuthenticationMechanism.HighGmac:
                var suite = _options.Suite ?? throw new InvalidOperationException("HLS-GMAC needs the suite 0 keys.");
                clientChallenge = new Octets(RandomNumberGenerator.GetBytes(16));
                InitiateCounter = _options.OutgoingCounter.Reserve();
                var ciphered = suite.Protect(GloTags.For(initiate[0]), SecurityControl.AuthenticatedEncryption, _options.SystemTitle.Span,
                    InitiateCounter.Value, initiate);
                aarq = new Aarq(ApplicationContext.LogicalNameCiphered, new Octets(ciphered.Encode()), _options.SystemTitle,
                    AuthenticationMechanism.HighGmac, clientChallenge);
                break;
            case AuthenticationMechanism.Low:
                aarq = new Aarq(ApplicationContext.LogicalName, new Octets(initiate), null, AuthenticationMechanism.Low,
                    new Octets(_options.Password ?? throw new InvalidOperationException("Low-level authentication needs a password.")));
                break;
            default:
                aarq = new Aarq(ApplicationContext.LogicalName, new Octets(initiate));
                break;
        }
        var answer = await ExchangeRawAsync(aarq.Encode(), cancellationToken).ConfigureAwait(false);
        if (answer is not Aare aare)
        {
            throw new DlmsFormatException($"An AARE was expected, not {answer.GetType().Name}.");
        }
        if (aare.Result != AssociationResult.Accepted)
        {
            throw new DlmsAssociationRefusedException(aare.Diagnostic);
        }
        if (_options.Mechanism != AuthenticationMechanism.HighGmac)
        {
            ReadInitiateResponse(aare.UserInformation?.ToArray());
            return;
        }
        await CompleteHlsAsync(aare, clientChallenge!.Value, cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteHlsAsync(Aare aare, Octets clientChallenge, CancellationToken cancellationToken)
    {
        var suite = _options.Suite!;
        if (aare.RespondingApTitle is not { Length: SecuritySuite0.SystemTitleSize } serverTitle || aare.RespondingAuthenticationValue is not { } serverChallenge
            || aare.UserInformation is not { } information)
        {
            throw new DlmsFormatException("An HLS AARE carries the server's system title, challenge and ciphered InitiateResponse.");
        }
        _serverTitle = serverTitle;
        ReadInitiateResponse(Unprotect(Apdu.Decode(information.Span)));
        var answer = suite.ChallengeResponse(_options.SystemTitle.Span, _options.OutgoingCounter.Reserve(), serverChallenge.Span);
        var reply = await ActionAsync(new CosemMethodDescriptor(AssociationLn.Class, CurrentAssociation, 1), new OctetString(Octets.Own(answer)), cancellationToken)
            .ConfigureAwait(false);
        if (reply.Result != ActionResult.Success || reply.ReturnValue is not OctetString { Value.Length: 5 + SecuritySuite0.TagSize } serverAnswer)
        {
            throw new DlmsAssociationRefusedException(AssociateDiagnostic.AuthenticationFailure);
        }
        uint counter = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(serverAnswer.Value.Span[1..5]);
        var expected = suite.ChallengeResponse(serverTitle.Span, counter, clientChallenge.Span);
        if (!CryptographicOperations.FixedTimeEquals(expected, serverAnswer.Value.Span))
        {
            throw new DlmsAuthenticationException("The server's answer to our challenge does not match: it does not hold our keys.");
        }
    }

    private void ReadInitiateResponse(byte[]? information)
    {
        if (information is not null && Apdu.Decode(information) is InitiateResponse response)
        {
            _serverMaxPdu = response.ServerMaxReceivePduSize == 0 ? (ushort)0xFFFF : response.ServerMaxReceivePduSize;
        }
    }

    public async Task<AttributeRead> GetAsync(CosemAttributeDescriptor attribute, SelectiveAccess? access = null, CancellationToken cancellationToken = default)
    {
        var invoke = InvokeIdAndPriority.Create(1);
        var response = await ExchangeAsync(new GetRequestNormal(invoke, attribute, access), cancellationToken).ConfigureAwait(false);
        var blocks = new List<byte>();
        while (true)
        {
            switch (response)
            {
                case GetResponseNormal { Result: GetDataValue value }:
                    return AttributeRead.Of(value.Value);
                case GetResponseNormal { Result: GetDataFailure failure }:
                    return AttributeRead.Failed(failure.Result);
                case GetResponseWithDataBlock { Failure: { } failure }:
                    return AttributeRead.Failed(failure);
                case GetResponseWithDataBlock block:
                    blocks.AddRange(block.RawData.Span);
                    if (block.LastBlock)
                    {
                        return AttributeRead.Of(DlmsValue.Decode(blocks.ToArray()));
                    }
                    response = await ExchangeAsync(new GetRequestNext(invoke, block.BlockNumber), cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    throw new DlmsFormatException($"A GET-Response was expected, not {response.GetType().Name}.");
            }
        }
    }

    /// <summary>
    /// GET one attribute and keep its answer encoded: the Data of a Get-Response-Normal, or the raw data of every
    /// Get-Response-With-Datablock joined in order (each further block asked for with GET.request-next), in a pooled
    /// buffer the caller disposes. For readers that walk the value in place (<see cref="ProfileRowReader"/>); the
    /// value is not checked here, the reader checks what it reads. A ciphered block is deciphered into a pooled buffer
    /// too, cleared when given back.
    /// </summary>
    public async Task<EncodedAttributeRead> GetEncodedAsync(CosemAttributeDescriptor attribute, SelectiveAccess? access = null,
        CancellationToken cancellationToken = default)
    {
        var invoke = InvokeIdAndPriority.Create(1);
        Apdu request = new GetRequestNormal(invoke, attribute, access);
        using var value = new PooledByteBuffer();
        while (true)
        {
            var answer = await ExchangeForBytesAsync(request, cancellationToken).ConfigureAwait(false);
            var step = ReadGetAnswer(answer.Span, value);
            if (step.Failure is { } failure)
            {
                return EncodedAttributeRead.Failed(failure);
            }
            if (step.Last)
            {
                return value.Detach();
            }
            request = new GetRequestNext(invoke, step.BlockNumber);
        }
    }

    /// <summary>What one answer to a GET said: a failure, the last of the value, or a block after which more follow.</summary>
    private readonly record struct GetStep(DataAccessResult? Failure, bool Last, uint BlockNumber);

    private GetStep ReadGetAnswer(ReadOnlySpan<byte> answer, PooledByteBuffer value)
    {
        if (_serverTitle is null)
        {
            return ReadGetResponse(answer, value);
        }
        var plain = Decipher(answer, out int length);
        try
        {
            return ReadGetResponse(plain.AsSpan(0, length), value);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    private static GetStep ReadGetResponse(ReadOnlySpan<byte> apdu, PooledByteBuffer value)
    {
        byte choice = apdu.Length >= 2 && apdu[0] == (byte)ApduTag.GetResponse ? apdu[1] : (byte)0;
        switch (choice)
        {
            case 1:
                if (!GetResponseNormal.TryGetData(apdu, out var data, out var refused))
                {
                    return new GetStep(refused, true, 0);
                }
                value.Reset();
                value.Append(data);
                return new GetStep(null, true, 0);
            case 2:
                if (!GetResponseWithDataBlock.TryGetRawData(apdu, out bool last, out uint number, out var raw, out var failure))
                {
                    return new GetStep(failure, true, number);
                }
                value.Append(raw);
                return new GetStep(null, last, number);
            default:
                var decoded = Apdu.Decode(apdu);
                throw decoded is ExceptionResponse exception
                    ? new DlmsServiceRefusedException(exception)
                    : new DlmsFormatException($"A GET-Response was expected, not {decoded.GetType().Name}.");
        }
    }

    public async Task<DataAccessResult> SetAsync(CosemAttributeDescriptor attribute, DlmsValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        var invoke = InvokeIdAndPriority.Create(2);
        var encoded = value.Encode();
        if (encoded.Length <= BlockSize)
        {
            var single = await ExchangeAsync(new SetRequestNormal(invoke, attribute, null, value), cancellationToken).ConfigureAwait(false);
            return single is SetResponseNormal normal ? normal.Result : throw Unexpected(single);
        }
        uint number = 1;
        foreach (var (block, last) in Blocks(encoded))
        {
            SetRequest request = number == 1
                ? new SetRequestWithFirstDataBlock(invoke, attribute, null, new DataBlock(last, number, block))
                : new SetRequestWithDataBlock(invoke, new DataBlock(last, number, block));
            var response = await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
            switch (response)
            {
                case SetResponseLastDataBlock done:
                    return done.Result;
                case SetResponseDataBlock ack when !last && ack.BlockNumber == number:
                    number++;
                    break;
                default:
                    throw Unexpected(response);
            }
        }
        throw new DlmsFormatException("The server did not answer the last SET block.");
    }

    public async Task<MethodOutcome> ActionAsync(CosemMethodDescriptor method, DlmsValue? parameters = null, CancellationToken cancellationToken = default)
    {
        var invoke = InvokeIdAndPriority.Create(3);
        var encoded = parameters?.Encode() ?? [];
        if (encoded.Length <= BlockSize)
        {
            return Outcome(await ExchangeAsync(new ActionRequestNormal(invoke, method, parameters), cancellationToken).ConfigureAwait(false));
        }
        uint number = 1;
        foreach (var (block, last) in Blocks(encoded))
        {
            ActionRequest request = number == 1
                ? new ActionRequestWithFirstPBlock(invoke, method, new DataBlock(last, number, block))
                : new ActionRequestWithPBlock(invoke, new DataBlock(last, number, block));
            var response = await ExchangeAsync(request, cancellationToken).ConfigureAwait(false);
            if (response is ActionResponseNextPBlock ack && !last && ack.BlockNumber == number)
            {
                number++;
                continue;
            }
            return Outcome(response);
        }
        throw new DlmsFormatException("The server did not answer the last ACTION block.");
    }

    /// <summary>RLRQ → RLRE; the connection stays open for another association.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        var answer = await ExchangeRawAsync(new Rlrq().Encode(), cancellationToken).ConfigureAwait(false);
        if (answer is not Rlre)
        {
            throw Unexpected(answer);
        }
        _serverTitle = null;
        _lastServerCounter = 0;
    }

    private static MethodOutcome Outcome(Apdu response) => response switch
    {
        ActionResponseNormal normal => new MethodOutcome(normal.Outcome.Result, (normal.Outcome.ReturnParameters as GetDataValue)?.Value),
        _ => throw Unexpected(response),
    };

    private int BlockSize => Math.Max(16, _serverMaxPdu - (Ciphered ? 40 : 20));

    private IEnumerable<(Octets Block, bool Last)> Blocks(byte[] encoded)
    {
        for (int offset = 0; offset < encoded.Length; offset += BlockSize)
        {
            int length = Math.Min(BlockSize, encoded.Length - offset);
            yield return (new Octets(encoded.AsSpan(offset, length)), offset + length >= encoded.Length);
        }
    }

    /// <summary>
    /// The answer as it came, still ciphered under HLS, where the request was glo-ciphered with a counter reserved
    /// (made durable by the store) before the APDU leaves.
    /// </summary>
    private Task<Octets> ExchangeForBytesAsync(Apdu request, CancellationToken cancellationToken) =>
        _serverTitle is null
            ? ExchangeBytesAsync(request.Encode(), cancellationToken)
            : ExchangeBytesAsync(_options.Suite!.ProtectEncoded(SecurityControl.AuthenticatedEncryption, _options.SystemTitle.Span,
                _options.OutgoingCounter.Reserve(), request), cancellationToken);

    private async Task<Apdu> ExchangeAsync(Apdu request, CancellationToken cancellationToken)
    {
        if (_serverTitle is null)
        {
            return await ExchangeRawAsync(request.Encode(), cancellationToken).ConfigureAwait(false);
        }
        var answer = await ExchangeForBytesAsync(request, cancellationToken).ConfigureAwait(false);
        return DecodeCiphered(answer.Span);
    }

    /// <summary>
    /// A ciphered answer deciphered from where it lies in the frame into a pooled buffer (cleared when given back),
    /// then decoded: the payload and the plain APDU are not copied into arrays of their own.
    /// </summary>
    private Apdu DecodeCiphered(ReadOnlySpan<byte> answer)
    {
        var plain = Decipher(answer, out int length);
        try
        {
            return Apdu.Decode(plain.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    /// <summary>
    /// A ciphered answer deciphered into a buffer rented from the shared pool, its plain APDU in the first
    /// <paramref name="length"/> bytes; the caller gives the buffer back cleared. An answer that is not ciphered
    /// throws: an exception-response as a refusal, anything else as malformed.
    /// </summary>
    private byte[] Decipher(ReadOnlySpan<byte> answer, out int length)
    {
        if (answer.IsEmpty || !CipheredApduView.IsCipheredTag(answer[0]))
        {
            var decoded = Apdu.Decode(answer);
            throw decoded is ExceptionResponse refused
                ? new DlmsServiceRefusedException(refused)
                : new DlmsFormatException($"A ciphered answer was expected, not {decoded.GetType().Name}.");
        }
        var ciphered = CipheredApduView.Read(answer);
        var plain = ArrayPool<byte>.Shared.Rent(ciphered.Payload.Length);
        try
        {
            length = _options.Suite!.Unprotect(ciphered.Control, ciphered.InvocationCounter, ciphered.Payload, _serverTitle!.Value.Span, plain);
            AcceptServerCounter(ciphered.InvocationCounter);
            return plain;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
            throw;
        }
    }

    private byte[] Unprotect(Apdu answer)
    {
        if (answer is ExceptionResponse refused)
        {
            throw new DlmsServiceRefusedException(refused);
        }
        if (answer is not CipheredApdu ciphered)
        {
            throw new DlmsFormatException($"A ciphered answer was expected, not {answer.GetType().Name}.");
        }
        var plain = _options.Suite!.Unprotect(ciphered, _serverTitle!.Value.Span);
        AcceptServerCounter(ciphered.InvocationCounter);
        return plain;
    }

    private void AcceptServerCounter(uint invocationCounter)
    {
        if (invocationCounter <= _lastServerCounter)
        {
            throw new DlmsAuthenticationException("The server's invocation counter went backwards: a replayed answer.");
        }
        _lastServerCounter = invocationCounter;
    }

    private async Task<Apdu> ExchangeRawAsync(byte[] apdu, CancellationToken cancellationToken)
    {
        var answer = await ExchangeBytesAsync(apdu, cancellationToken).ConfigureAwait(false);
        var decoded = Apdu.Decode(answer.Span);
        return decoded is ExceptionResponse refused ? throw new DlmsServiceRefusedException(refused) : decoded;
    }

    private async Task<Octets> ExchangeBytesAsync(byte[] apdu, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        var frame = new WrapperFrame(_options.ClientAddress, _options.ServerAddress, Octets.Own(apdu));
        await _stream.WriteAsync(frame.Encode(), timeout.Token).ConfigureAwait(false);
        var answer = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false)
            ?? throw new IOException("The server closed the connection.");
        return answer.Apdu;
    }

    private static DlmsFormatException Unexpected(Apdu response) => new($"Unexpected answer {response.GetType().Name}.");

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
