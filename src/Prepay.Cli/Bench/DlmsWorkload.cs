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

    /// <summary>What a meter does per answer: encode, protect under a fresh counter, encode the glo-APDU.</summary>
    public int EncodeCiphered()
    {
        var plain = Response.Encode();
        return _suite.ProtectEncoded(GloTags.For(plain[0]), SecurityControl.AuthenticatedEncryption, ServerTitle.Span, _counter++, plain).Length;
    }

    /// <summary>What a head-end does per answer: decode the glo-APDU, check and decipher, decode the GET.response.</summary>
    public int DecodeCiphered()
    {
        var ciphered = (CipheredApdu)Apdu.Decode(Ciphered);
        return Apdu.Decode(_suite.Unprotect(ciphered, ServerTitle.Span)) is GetResponseNormal ? 1 : 0;
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
