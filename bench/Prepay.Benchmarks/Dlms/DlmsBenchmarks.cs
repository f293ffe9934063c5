using System.Buffers;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using NodaTime;
using Prepay.Dlms;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Dlms.Security;

namespace Prepay.Benchmarks.Dlms;

/// <summary>
/// A GET.response carrying one day of load profile (96 entries of clock and energy, about 2 KB), encoded and
/// decoded plain and under security suite 0 (AES-GCM-128, authenticated encryption), against raw AES-GCM-128 on
/// a payload of the same size (the BCL's, the same key and additional data) as the baseline: the ratio column is
/// then the ciphered path's cost in raw AES-GCM operations (its inverse is the APDUs/s ÷ AES-GCM ops/s ratio
/// that <c>prepay bench dlms</c> prints). One operation = one APDU. "decode" builds the tree of values; "rows" walks
/// the profile's rows with <see cref="ProfileRowReader"/> without building it.
/// </summary>
[MemoryDiagnoser]
public class DlmsBenchmarks : IDisposable
{
    private static readonly byte[] Key = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] AuthenticationKey = Convert.FromHexString("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    private static readonly Octets ServerTitle = Octets.FromHex("5052455041590001");

    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _tag = new byte[SecuritySuite0.TagSize];
    private SecuritySuite0 _suite = null!;
    private AesGcm _raw = null!;
    private GetResponseNormal _response = null!;
    private byte[] _plain = null!;
    private byte[] _ciphered = null!;
    private byte[] _aad = null!;
    private byte[] _rawOut = null!;
    private byte[] _rawSealed = null!;
    private byte[] _rawSealedTag = null!;
    private uint _counter = 1;

    [GlobalSetup]
    public void Setup()
    {
        _suite = new SecuritySuite0(Key, AuthenticationKey);
        _raw = new AesGcm(Key, SecuritySuite0.TagSize);
        var start = Instant.FromUtc(2026, 3, 1, 0, 0);
        var rows = Enumerable.Range(0, 96).Select(i => (DlmsValue)new DlmsStructure(new ValueList<DlmsValue>(
        [
            CosemValues.DateTime(CosemDateTime.From((start + Duration.FromMinutes(15 * i)).WithOffset(Offset.Zero))),
            new DoubleLongUnsigned(1_250_000u + (uint)(i * 173)),
        ])));
        _response = new GetResponseNormal(InvokeIdAndPriority.Create(1), new GetDataValue(new DlmsArray(new ValueList<DlmsValue>(rows))));
        _plain = _response.Encode();
        _ciphered = _suite.ProtectEncoded(GloTags.For(_plain[0]), SecurityControl.AuthenticatedEncryption, ServerTitle.Span, 1, _plain);
        _aad = [SecurityControl.AuthenticatedEncryption.Value, .. AuthenticationKey];
        _rawOut = new byte[_plain.Length];
        _rawSealed = new byte[_plain.Length];
        _rawSealedTag = new byte[SecuritySuite0.TagSize];
        _raw.Encrypt(_nonce, _plain, _rawSealed, _rawSealedTag, _aad);
    }

    [Benchmark(Baseline = true, Description = "raw AES-GCM-128 encrypt, same size (BCL)")]
    public byte RawEncrypt()
    {
        _raw.Encrypt(_nonce, _plain, _rawOut, _tag, _aad);
        return _tag[0];
    }

    [Benchmark(Description = "raw AES-GCM-128 decrypt, same size (BCL)")]
    public byte RawDecrypt()
    {
        _raw.Decrypt(_nonce, _rawSealed, _rawSealedTag, _rawOut, _aad);
        return _rawOut[0];
    }

    [Benchmark(Description = "GET.response encode, plain")]
    public int EncodePlain() => _response.Encode().Length;

    [Benchmark(Description = "GET.response decode, plain")]
    public Apdu DecodePlain() => Apdu.Decode(_plain);

    [Benchmark(Description = "GET.response rows, plain")]
    public int RowsPlain() => WalkRows(_plain);

    /// <summary>As a meter's server answers: encoded into the reused writer, enciphered from there into the wire bytes.</summary>
    [Benchmark(Description = "GET.response encode, AES-GCM-128")]
    public int EncodeCiphered() =>
        _suite.ProtectEncoded(SecurityControl.AuthenticatedEncryption, ServerTitle.Span, _counter++, _response).Length;

    /// <summary>As the client reads an answer: header read in place, deciphered into a pooled buffer, decoded as a tree.</summary>
    [Benchmark(Description = "GET.response decode, AES-GCM-128")]
    public int DecodeCiphered() => Deciphered(DecodeTree);

    /// <summary>The same deciphering, then every row walked into (capture time, energy) without the tree.</summary>
    [Benchmark(Description = "GET.response rows, AES-GCM-128")]
    public int RowsCiphered() => Deciphered(Rows);

    private static readonly Func<ReadOnlySpan<byte>, int> DecodeTree = static plain => Apdu.Decode(plain) is GetResponseNormal ? 1 : 0;
    private static readonly Func<ReadOnlySpan<byte>, int> Rows = WalkRows;

    private int Deciphered(Func<ReadOnlySpan<byte>, int> then)
    {
        var ciphered = CipheredApduView.Read(_ciphered);
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

    private static int Walk(ReadOnlySpan<byte> data)
    {
        var rows = new ProfileRowReader(data);
        long sum = 0;
        while (rows.MoveNextRow())
        {
            sum += rows.ReadInstant()!.Value.ToUnixTimeSeconds() + (long)rows.ReadUnsigned()!.Value;
        }
        return (int)(sum & 1) + rows.RowCount;
    }

    public void Dispose()
    {
        _suite?.Dispose();
        _raw?.Dispose();
        GC.SuppressFinalize(this);
    }
}
