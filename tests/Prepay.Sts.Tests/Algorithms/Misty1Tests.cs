using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Xunit;

namespace Prepay.Sts.Tests.Algorithms;

public sealed class Misty1Tests
{
    // RFC 2994 §3 (test data): key 00112233445566778899aabbccddeeff.
    [Theory]
    [InlineData(0x0123456789abcdefUL, 0x8b1da5f56ab3d07cUL)]
    [InlineData(0xfedcba9876543210UL, 0x04b68240b13be95dUL)]
    public void Misty1_matches_the_RFC_2994_test_vectors(ulong plain, ulong cipher)
    {
        var misty = new Misty1Cipher(DecoderKey.ParseHex("00112233445566778899aabbccddeeff"));
        Assert.Equal(cipher, misty.Encrypt(plain));
        Assert.Equal(plain, misty.Decrypt(cipher));
    }
}
