using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Prepay.Sts.Keys;

/// <summary>
/// DKGA-02, decoder key generation with DES. IEC 62055-41 §6.5.2.3:
/// P = PANBlock ⊕ ControlBlock; DK = DES(VUDK, P) ⊕ P ⊕ VUDK. Verified by the STS 531-1-0-02 CTSA01 vector.
/// Caches the DES key schedule; not thread-safe (use one per thread). .NET refuses DES weak keys as vending keys.
/// </summary>
public sealed class Dkga02 : IDisposable
{
    private readonly DES _des;
    private readonly ulong _vendingKey;

    /// <summary>A generator for one 64-bit vending key.</summary>
    public Dkga02(VendingKey vendingKey)
    {
        ArgumentNullException.ThrowIfNull(vendingKey);
        if (vendingKey.Bits != 64)
        {
            throw new ArgumentException("DKGA-02 needs a 64-bit vending key.", nameof(vendingKey));
        }

        var bytes = new byte[8];
        vendingKey.CopyTo(bytes);
        _vendingKey = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _des = DES.Create();
        _des.Key = bytes;
        CryptographicOperations.ZeroMemory(bytes);
    }

    /// <summary>The 64-bit decoder key of a meter.</summary>
    public DecoderKey Derive(in KeyDerivationInput input) => Derive(input.Pan.PanBlock(), input.ControlBlock());

    /// <summary>The decoder key from a PAN block and a control block (the hot path; no allocation).</summary>
    public DecoderKey Derive(ulong panBlock, ulong controlBlock)
    {
        ulong p = panBlock ^ controlBlock;
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(buffer, p);
        _des.EncryptEcb(buffer, buffer, PaddingMode.None);
        return DecoderKey.From64(BinaryPrimitives.ReadUInt64BigEndian(buffer) ^ p ^ _vendingKey);
    }

    /// <inheritdoc />
    public void Dispose() => _des.Dispose();
}
