using CsCheck;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Cosem;
using Prepay.Dlms.Security;
using Prepay.Dlms.Tests.Apdus;

namespace Prepay.Dlms.Tests.Security;

/// <summary>
/// The span path of suite 0 (an APDU protected straight from its writer, a ciphered APDU read and deciphered where it
/// lies) gives the same bytes and refusals as the path through <see cref="CipheredApdu"/>.
/// </summary>
public sealed class CipheredSpanPathTests
{
    private static readonly byte[] BlockCipherKey = Hex.Bytes("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] AuthenticationKey = Hex.Bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    private static readonly byte[] SystemTitle = Hex.Bytes("4D4D4D0000BC614E");

    private static readonly Gen<Apdu> Protectable = ApduGenerators.Any.Where(a => a.Encode()[0] is 0x01 or 0x08 or (>= 0xC0 and <= 0xC7));

    private static readonly Gen<SecurityControl> Control = Gen.OneOf(
        Gen.Const(SecurityControl.AuthenticationOnly), Gen.Const(SecurityControl.EncryptionOnly), Gen.Const(SecurityControl.AuthenticatedEncryption));

    [Fact]
    public void An_apdu_protected_from_its_writer_is_the_same_bytes_as_protecting_its_encoding()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        Gen.Select(Protectable, Control, Gen.UInt).Sample(t =>
        {
            var (apdu, control, counter) = t;
            var plain = apdu.Encode();
            Assert.Equal(
                Hex.Of(suite.Protect(GloTags.For(plain[0]), control, SystemTitle, counter, plain).Encode()),
                Hex.Of(suite.ProtectEncoded(control, SystemTitle, counter, apdu)));
        }, iter: 2_000);
    }

    [Fact]
    public void A_ciphered_apdu_read_where_it_lies_deciphers_as_the_decoded_one()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        Gen.Select(Protectable, Control, Gen.UInt).Sample(t =>
        {
            var (apdu, control, counter) = t;
            var wire = suite.ProtectEncoded(control, SystemTitle, counter, apdu);
            var decoded = (CipheredApdu)Apdu.Decode(wire);

            var view = CipheredApduView.Read(wire);
            Assert.Equal((decoded.CipheredTag, decoded.Control, decoded.InvocationCounter), (view.CipheredTag, view.Control, view.InvocationCounter));
            Assert.Equal(Hex.Of(decoded.Payload.Span), Hex.Of(view.Payload));
            var plain = new byte[view.Payload.Length];
            int length = suite.Unprotect(view.Control, view.InvocationCounter, view.Payload, SystemTitle, plain);
            Assert.Equal(Hex.Of(suite.Unprotect(decoded, SystemTitle)), Hex.Of(plain.AsSpan(0, length)));
            Assert.Equal(apdu, Apdu.Decode(plain.AsSpan(0, length)));
        }, iter: 2_000);
    }

    [Fact]
    public void A_changed_byte_fails_authentication_and_leaves_no_plain_bytes()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        var wire = suite.ProtectEncoded(SecurityControl.AuthenticatedEncryption, SystemTitle, 7, new GetRequestNormal(InvokeIdAndPriority.Create(1),
            new CosemAttributeDescriptor(8, new ObisCode(0, 0, 1, 0, 0, 255), 2)));
        for (int i = 7; i < wire.Length; i++)
        {
            var changed = (byte[])wire.Clone();
            changed[i] ^= 0x01;
            var plain = new byte[wire.Length];
            Assert.Throws<DlmsAuthenticationException>(() =>
            {
                var view = CipheredApduView.Read(changed);
                suite.Unprotect(view.Control, view.InvocationCounter, view.Payload, SystemTitle, plain);
            });
            Assert.All(plain, b => Assert.Equal(0, b));
        }
    }

    [Fact]
    public void Random_and_mutated_ciphered_apdus_are_refused_as_the_decoder_refuses_them()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        var seeds = Gen.Select(Protectable, Control, Gen.UInt).Array[20].Single()
            .Select(t => suite.ProtectEncoded(t.Item2, SystemTitle, t.Item3, t.Item1)).ToArray();
        Gen.Frequency((3, FuzzTests.Mutations(seeds)), (1, FuzzTests.RandomBytes)).Sample(bytes =>
        {
            bool decoded = Refused(() => Apdu.Decode(bytes)) is null && Apdu.Decode(bytes) is CipheredApdu;
            var viewError = Refused(() => CipheredApduView.Read(bytes));
            Assert.Equal(decoded, viewError is null);
        }, iter: 50_000);
    }

    private static DlmsFormatException? Refused(Action read)
    {
        try
        {
            read();
            return null;
        }
        catch (DlmsFormatException e)
        {
            return e;
        }
    }
}
