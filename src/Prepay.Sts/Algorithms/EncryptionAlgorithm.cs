namespace Prepay.Sts.Algorithms;

/// <summary>Encryption algorithm codes. IEC 62055-41 §7 (EA codes).</summary>
public enum EncryptionAlgorithm
{
    /// <summary>EA07: Standard Transfer Algorithm, 64-bit key.</summary>
    Sta = 7,

    /// <summary>EA09: DEA (DES), 64-bit key.</summary>
    Dea = 9,

    /// <summary>EA11: MISTY1 (RFC 2994), 128-bit key.</summary>
    Misty1 = 11,
}
