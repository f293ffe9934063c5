using Prepay.Sts.Keys;

namespace Prepay.Sts.Algorithms;

/// <summary>Creates the cipher for an algorithm and decoder key.</summary>
public static class TokenCiphers
{
    /// <summary>The cipher; throws if the key length does not suit the algorithm.</summary>
    public static ITokenCipher Create(EncryptionAlgorithm algorithm, DecoderKey key) => algorithm switch
    {
        EncryptionAlgorithm.Sta => new StaCipher(Require(key, 64, algorithm).Low),
        EncryptionAlgorithm.Dea => new DeaCipher(Require(key, 64, algorithm).Low),
        EncryptionAlgorithm.Misty1 => new Misty1Cipher(Require(key, 128, algorithm)),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown encryption algorithm."),
    };

    /// <summary>The key length the algorithm needs: 64 or 128 bits.</summary>
    public static int KeyBits(EncryptionAlgorithm algorithm) => algorithm == EncryptionAlgorithm.Misty1 ? 128 : 64;

    private static DecoderKey Require(DecoderKey key, int bits, EncryptionAlgorithm algorithm) =>
        key.Bits == bits ? key : throw new ArgumentException($"EA{(int)algorithm:00} needs a {bits}-bit decoder key, got {key.Bits} bits.", nameof(key));
}
