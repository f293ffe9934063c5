namespace Prepay.Sts.Algorithms;

/// <summary>A 64-bit block cipher bound to one decoder key (its key schedule computed once).</summary>
public interface ITokenCipher
{
    /// <summary>Which algorithm this is.</summary>
    EncryptionAlgorithm Algorithm { get; }

    /// <summary>Encrypts one data block.</summary>
    ulong Encrypt(ulong block);

    /// <summary>Decrypts one data block.</summary>
    ulong Decrypt(ulong block);
}
