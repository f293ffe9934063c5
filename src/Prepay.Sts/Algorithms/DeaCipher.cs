using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Prepay.Sts.Algorithms;

/// <summary>
/// EA09: DEA (single DES, ECB) over the big-endian data block with the 64-bit decoder key.
/// Not verified: no public STS test vector for EA09 was found. DES weak keys are refused by .NET.
/// Not thread-safe (one DES instance per cipher).
/// </summary>
public sealed class DeaCipher : ITokenCipher, IDisposable
{
    private readonly DES _des;

    /// <summary>A cipher for a 64-bit decoder key.</summary>
    public DeaCipher(ulong decoderKey)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, decoderKey);
        _des = DES.Create();
        _des.Key = key.ToArray();
    }

    /// <inheritdoc />
    public EncryptionAlgorithm Algorithm => EncryptionAlgorithm.Dea;

    /// <inheritdoc />
    public ulong Encrypt(ulong block)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, block);
        _des.EncryptEcb(buffer, buffer, PaddingMode.None);
        return BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }

    /// <inheritdoc />
    public ulong Decrypt(ulong block)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, block);
        _des.DecryptEcb(buffer, buffer, PaddingMode.None);
        return BinaryPrimitives.ReadUInt64BigEndian(buffer);
    }

    /// <inheritdoc />
    public void Dispose() => _des.Dispose();
}
