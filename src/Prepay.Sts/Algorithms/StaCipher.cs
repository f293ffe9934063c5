using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Prepay.Sts.Algorithms;

/// <summary>
/// EA07, the Standard Transfer Algorithm. IEC 62055-41 §7.2 and its annex: the key is complemented and
/// rotated right 12 bits; then 16 rounds of (substitute each nibble with table 1 or 2 as the key nibble's top
/// bit says; permute the 64 bits; rotate the key left 1 bit). Decryption runs the inverse steps backwards.
/// The substitution and permutation of a byte are merged into one lookup: 8 lookups per round.
/// </summary>
public sealed class StaCipher : ITokenCipher
{
    private const int Rounds = 16;

    // [(byte position * 4 + selector) * 256 + byte value] -> permuted 64-bit contribution.
    private static readonly ulong[] SubstitutePermute = BuildSubstitutePermute();

    // [byte position * 256 + byte value] -> inverse-permuted contribution.
    private static readonly ulong[] InversePermute = BuildInversePermute();

    // [selector * 256 + byte value] -> inverse-substituted byte.
    private static readonly byte[] InverseSubstitute = BuildInverseSubstitute();

    private readonly int[] _encryptOffsets = new int[Rounds * 8];
    private readonly int[] _decryptOffsets = new int[Rounds * 8];

    /// <summary>A cipher for a 64-bit decoder key.</summary>
    public StaCipher(ulong decoderKey)
    {
        ulong key = BitOperations.RotateRight(~decoderKey, 12);
        for (int round = 0; round < Rounds; round++)
        {
            for (int j = 0; j < 8; j++)
            {
                int selector = Selector(key, j);
                _encryptOffsets[(round * 8) + j] = ((j * 4) + selector) * 256;
                _decryptOffsets[((Rounds - 1 - round) * 8) + j] = selector * 256;
            }

            key = BitOperations.RotateLeft(key, 1);
        }
    }

    /// <inheritdoc />
    public EncryptionAlgorithm Algorithm => EncryptionAlgorithm.Sta;

    /// <inheritdoc />
    public ulong Encrypt(ulong block)
    {
        ref ulong table = ref MemoryMarshal.GetArrayDataReference(SubstitutePermute);
        ref int offsets = ref MemoryMarshal.GetArrayDataReference(_encryptOffsets);
        for (int round = 0; round < Rounds; round++)
        {
            ref int o = ref Unsafe.Add(ref offsets, round * 8);
            block =
                Unsafe.Add(ref table, o + (int)(block & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 1) + (int)((block >> 8) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 2) + (int)((block >> 16) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 3) + (int)((block >> 24) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 4) + (int)((block >> 32) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 5) + (int)((block >> 40) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 6) + (int)((block >> 48) & 0xFF)) |
                Unsafe.Add(ref table, Unsafe.Add(ref o, 7) + (int)(block >> 56));
        }

        return block;
    }

    /// <inheritdoc />
    public ulong Decrypt(ulong block)
    {
        ref ulong perm = ref MemoryMarshal.GetArrayDataReference(InversePermute);
        ref byte sub = ref MemoryMarshal.GetArrayDataReference(InverseSubstitute);
        ref int offsets = ref MemoryMarshal.GetArrayDataReference(_decryptOffsets);
        for (int round = 0; round < Rounds; round++)
        {
            ulong p =
                Unsafe.Add(ref perm, (int)(block & 0xFF)) |
                Unsafe.Add(ref perm, 256 + (int)((block >> 8) & 0xFF)) |
                Unsafe.Add(ref perm, 512 + (int)((block >> 16) & 0xFF)) |
                Unsafe.Add(ref perm, 768 + (int)((block >> 24) & 0xFF)) |
                Unsafe.Add(ref perm, 1024 + (int)((block >> 32) & 0xFF)) |
                Unsafe.Add(ref perm, 1280 + (int)((block >> 40) & 0xFF)) |
                Unsafe.Add(ref perm, 1536 + (int)((block >> 48) & 0xFF)) |
                Unsafe.Add(ref perm, 1792 + (int)(block >> 56));
            ref int o = ref Unsafe.Add(ref offsets, round * 8);
            block = 0;
            for (int j = 0; j < 8; j++)
            {
                block |= (ulong)Unsafe.Add(ref sub, Unsafe.Add(ref o, j) + (int)((p >> (8 * j)) & 0xFF)) << (8 * j);
            }
        }

        return block;
    }

    // The selection bits of byte j's two nibbles: bit 3 and bit 7 of the key byte.
    private static int Selector(ulong key, int j) =>
        (int)(((key >> ((8 * j) + 3)) & 1) | (((key >> ((8 * j) + 7)) & 1) << 1));

    private static byte SubstituteByte(int selector, int value)
    {
        var low = (selector & 1) == 0 ? StaTables.Substitution1 : StaTables.Substitution2;
        var high = (selector & 2) == 0 ? StaTables.Substitution1 : StaTables.Substitution2;
        return (byte)(low[value & 0xF] | (high[value >> 4] << 4));
    }

    private static ulong Permute(ulong value)
    {
        ulong result = 0;
        var permutation = StaTables.Permutation;
        for (int i = 0; i < 64; i++)
        {
            result |= ((value >> i) & 1) << permutation[i];
        }

        return result;
    }

    private static ulong InversePermuteSlow(ulong value)
    {
        ulong result = 0;
        var permutation = StaTables.Permutation;
        for (int i = 0; i < 64; i++)
        {
            result |= ((value >> permutation[i]) & 1) << i;
        }

        return result;
    }

    private static ulong[] BuildSubstitutePermute()
    {
        var table = new ulong[8 * 4 * 256];
        for (int j = 0; j < 8; j++)
        {
            for (int selector = 0; selector < 4; selector++)
            {
                for (int value = 0; value < 256; value++)
                {
                    table[(((j * 4) + selector) * 256) + value] = Permute((ulong)SubstituteByte(selector, value) << (8 * j));
                }
            }
        }

        return table;
    }

    private static ulong[] BuildInversePermute()
    {
        var table = new ulong[8 * 256];
        for (int j = 0; j < 8; j++)
        {
            for (int value = 0; value < 256; value++)
            {
                table[(j * 256) + value] = InversePermuteSlow((ulong)value << (8 * j));
            }
        }

        return table;
    }

    private static byte[] BuildInverseSubstitute()
    {
        var table = new byte[4 * 256];
        for (int selector = 0; selector < 4; selector++)
        {
            for (int value = 0; value < 256; value++)
            {
                table[(selector * 256) + SubstituteByte(selector, value)] = (byte)value;
            }
        }

        return table;
    }
}
