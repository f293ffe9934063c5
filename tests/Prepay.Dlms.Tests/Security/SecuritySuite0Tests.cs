using CsCheck;
using Prepay.Dlms.Apdus;
using Prepay.Dlms.Security;

namespace Prepay.Dlms.Tests.Security;

public sealed class SecuritySuite0Tests
{
    // DLMS UA Green Book (DLMS UA 1000-2), security examples, Table 40: a GET-Request for the clock's time,
    // ciphered as glo-get-request with each security control, and Table 43: the HLS mechanism 5 answer f(StoC).
    private static readonly byte[] BlockCipherKey = Hex.Bytes("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] AuthenticationKey = Hex.Bytes("D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF");
    private static readonly byte[] SystemTitle = Hex.Bytes("4D4D4D0000BC614E");
    private const uint InvocationCounter = 0x01234567;
    private const string PlainGet = "C0010000080000010000FF0200";

    [Theory]
    [InlineData(0x10, "C81E1001234567C0010000080000010000FF020006725D910F9221D263877516")]
    [InlineData(0x20, "C8122001234567411312FF935A47566827C467BC")]
    [InlineData(0x30, "C81E3001234567411312FF935A47566827C467BC7D825C3BE4A77C3FCC056B6B")]
    public void Green_book_glo_get_request_examples_are_reproduced_and_deciphered(byte control, string expected)
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);

        var ciphered = suite.Protect(0xC8, new SecurityControl(control), SystemTitle, InvocationCounter, Hex.Bytes(PlainGet));

        Assert.Equal(expected, Hex.Of(ciphered.Encode()));
        var decoded = Assert.IsType<CipheredApdu>(Apdu.Decode(Hex.Bytes(expected)));
        Assert.Equal(ciphered, decoded);
        Assert.Equal(PlainGet, Hex.Of(suite.Unprotect(decoded, SystemTitle)));
    }

    [Fact]
    public void Green_book_hls_gmac_answers_to_both_challenges()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);

        // Pass 3: the client (system title 4D4D4D0000000001, counter 1) answers the server's challenge StoC.
        Assert.Equal("10000000011A52FE7DD3E72748973C1E28", Hex.Of(suite.ChallengeResponse(Hex.Bytes("4D4D4D0000000001"), 1, "P6wRJ21F"u8)));
        // Pass 4: the server (4D4D4D0000BC614E, counter 0x01234567) answers the client's challenge CtoS.
        Assert.Equal("1001234567FE1466AFB3DBCD4F9389E2B7", Hex.Of(suite.ChallengeResponse(SystemTitle, InvocationCounter, "K56iVagY"u8)));
    }

    [Theory]
    [InlineData(0x10)]
    [InlineData(0x30)]
    public void A_changed_byte_anywhere_fails_authentication(byte control)
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        var ciphered = suite.Protect(0xC8, new SecurityControl(control), SystemTitle, InvocationCounter, Hex.Bytes(PlainGet));
        byte[] payload = ciphered.Payload.ToArray();

        for (int i = 0; i < payload.Length; i++)
        {
            byte[] changed = (byte[])payload.Clone();
            changed[i] ^= 0x01;
            var tampered = ciphered with { Payload = new Octets(changed) };
            Assert.Throws<DlmsAuthenticationException>(() => suite.Unprotect(tampered, SystemTitle));
        }
        Assert.Throws<DlmsAuthenticationException>(() => suite.Unprotect(ciphered with { InvocationCounter = InvocationCounter + 1 }, SystemTitle));
        Assert.Throws<DlmsAuthenticationException>(() => suite.Unprotect(ciphered, Hex.Bytes("4D4D4D0000BC614F")));
        using var otherKeys = new SecuritySuite0(BlockCipherKey, new byte[16]);
        Assert.Throws<DlmsAuthenticationException>(() => otherKeys.Unprotect(ciphered, SystemTitle));
    }

    [Fact]
    public void Any_apdu_under_any_security_control_comes_back()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        Gen.Select(Gen.Int[0, 3], Gen.UInt, Gen.Byte.Array[8], Gen.Byte.Array[0, 300]).Sample(t =>
        {
            var control = new SecurityControl((byte)(t.Item1 << 4));
            var ciphered = suite.Protect(0xCC, control, t.Item3, t.Item2, t.Item4);
            var decoded = (CipheredApdu)Apdu.Decode(ciphered.Encode());
            Assert.Equal(t.Item4, suite.Unprotect(decoded, t.Item3));
        }, iter: 2_000);
    }

    [Fact]
    public void Protecting_straight_into_the_wire_bytes_gives_the_same_bytes_as_protect_then_encode()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        // Lengths across the one-, two- and three-byte A-XDR length forms.
        Gen.Select(Gen.Int[0, 3], Gen.UInt, Gen.Byte.Array[8], Gen.Byte.Array[0, 70_000]).Sample(t =>
        {
            var control = new SecurityControl((byte)(t.Item1 << 4));
            Assert.Equal(suite.Protect(0xCC, control, t.Item3, t.Item2, t.Item4).Encode(), suite.ProtectEncoded(0xCC, control, t.Item3, t.Item2, t.Item4));
        }, iter: 300);
    }

    [Fact]
    public void Keys_are_not_printed()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        Assert.DoesNotContain("0001020304", suite.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_payloads_fail_only_with_protocol_errors()
    {
        using var suite = new SecuritySuite0(BlockCipherKey, AuthenticationKey);
        Gen.Select(Gen.Byte, Gen.UInt, Gen.Byte.Array[0, 40]).Sample(t =>
            FuzzTests.OnlyFormatErrors(() => suite.Unprotect(new CipheredApdu(0xC8, new SecurityControl(t.Item1), t.Item2, new Octets(t.Item3)), SystemTitle)),
            iter: 5_000);
    }
}
