using System.Buffers;
using System.Security.Cryptography;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Cli.Bench;

/// <summary>
/// What <c>prepay bench dlms</c> times: a GET.response carrying one day of load profile (96 entries of clock and
/// energy, as a meter answers a profile read by range), encoded and decoded plain and under suite 0 with
/// authenticated encryption, beside AES-GCM-128 itself (the BCL's, the same key and additional data) on a payload
/// of the same size: the ceiling the ciphered path could reach.
/// </summary>
internal sealed class DlmsWorkload : IDisposable
{
    private static readonly Octets ServerTitle = Octets.FromHex("5052455041590001");
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] AuthenticationKey = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");

    private readonly SecuritySuite0 _suite = new(Key, AuthenticationKey);
    private readonly AesGcm _raw = new(Key, SecuritySuite0.TagSize);
    private readonly byte[] _aad;
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _rawCipher;
    private readonly byte[] _rawPlain;
    private readonly byte[] _rawTag = new byte[SecuritySuite0.TagSize];
    private readonly byte[] _rawSealed;
    private readonly byte[] _rawSealedTag = new byte[SecuritySuite0.TagSize];
    private uint _counter = 1;

    public DlmsWorkload()
    {
        var start = Instant.FromUtc(2026, 3, 1, 0, 0);
        var rows = Enumerable.Range(0, 96).Select(i => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(
        [
            CosemValues.DateTime(CosemDateTime.From((start + Duration.FromMinutes(15 * i)).WithOffset(Offset.Zero))),
            new DoubleLongUnsigned(1_250_000u + (uint)(i * 173)),
        ])));
        Response = new GetResponseNormal(InvokeIdAndPriority.Create(1), new GetDataValue(new DlmsArray(new ValueList<DlmsValue>(rows))));
        Plain = Response.Encode();
        Ciphered = CipheredResponse().Encode();
        _aad = [SecurityControl.AuthenticatedEncryption.Value, .. AuthenticationKey];
        _rawPlain = Plain.ToArray();
        _rawCipher = new byte[Plain.Length];
        _rawSealed = new byte[Plain.Length];
        _raw.Encrypt(_nonce, _rawPlain, _rawSealed, _rawSealedTag, _aad);
    }

    public GetResponseNormal Response { get; }

    /// <summary>The plain GET.response as it goes on the wire.</summary>
    public byte[] Plain { get; }

    /// <summary>The glo-get-response as it goes on the wire.</summary>
    public byte[] Ciphered { get; }

    public int EncodePlain() => Response.Encode().Length;

    public int DecodePlain() => Apdu.Decode(Plain) is GetResponseNormal ? 1 : 0;

    /// <summary>The plain GET.response's rows walked into (capture time, energy) without building the tree.</summary>
    public int DecodePlainRows() => WalkRows(Plain);

    /// <summary>
    /// What a meter's server does per answer (<c>ServerSession</c>): encode the GET.response into the thread's reused
    /// buffer, encipher it from there under a fresh counter straight into the glo-APDU's wire bytes.
    /// </summary>
    public int EncodeCiphered() =>
        _suite.ProtectEncoded(SecurityControl.AuthenticatedEncryption, ServerTitle.Span, _counter++, Response).Length;

    /// <summary>
    /// What the head-end's client does per answer (<c>DlmsClient</c>): read the glo-APDU's header where it lies,
    /// check and decipher into a pooled buffer (cleared when given back), decode the GET.response as a tree.
    /// </summary>
    public int DecodeCiphered() => Deciphered(DecodeTree);

    /// <summary>
    /// The same deciphering, then every row walked into (capture time, energy) with <see cref="ProfileRowReader"/>
    /// instead of the tree: what a load-profile read needs from the answer.
    /// </summary>
    public int DecodeCipheredRows() => Deciphered(Rows);

    private static readonly Func<ReadOnlySpan<byte>, int> DecodeTree = static plain => Apdu.Decode(plain) is GetResponseNormal ? 1 : 0;
    private static readonly Func<ReadOnlySpan<byte>, int> Rows = WalkRows;

    private int Deciphered(Func<ReadOnlySpan<byte>, int> then)
    {
        var ciphered = CipheredApduView.Read(Ciphered);
        var plain = ArrayPool<byte>.Shared.Rent(ciphered.Payload.Length);
        try
        {
            int length = _suite.Unprotect(ciphered.Control, ciphered.InvocationCounter, ciphered.Payload, ServerTitle.Span, plain);
            return then(plain.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plain, clearArray: true);
        }
    }

    private static int WalkRows(ReadOnlySpan<byte> apdu) => GetResponseNormal.TryGetData(apdu, out var data, out _) ? Walk(data) : 0;

    // The walk in a method of its own: where the data span is also an out variable (above), the runtime keeps the
    // reader in memory rather than in registers and the walk takes about twice as long.
    private static int Walk(ReadOnlySpan<byte> data)
    {
        var rows = new ProfileRowReader(data);
        long sum = 0;
        while (rows.MoveNextRow())
        {
            var end = rows.ReadInstant() ?? throw new InvalidOperationException("A row without a capture time.");
            ulong energy = rows.ReadUnsigned() ?? throw new InvalidOperationException("A row without energy.");
            sum += end.ToUnixTimeSeconds() + (long)energy;
        }
        return (int)(sum & 1) + rows.RowCount;
    }

    public int RawEncrypt()
    {
        _raw.Encrypt(_nonce, _rawPlain, _rawCipher, _rawTag, _aad);
        return _rawTag[0];
    }

    public int RawDecrypt()
    {
        _raw.Decrypt(_nonce, _rawSealed, _rawSealedTag, _rawCipher, _aad);
        return _rawCipher[0];
    }

    private CipheredApdu CipheredResponse()
    {
        var plain = Response.Encode();
        return _suite.Protect(GloTags.For(plain[0]), SecurityControl.AuthenticatedEncryption, ServerTitle.Span, _counter++, plain);
    }

    public void Dispose()
    {
        _suite.Dispose();
        _raw.Dispose();
    }
}
