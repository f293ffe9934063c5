using Prepay.Sts.Keys;

namespace Prepay.Sts.Algorithms;

/// <summary>
/// EA11: MISTY1 with 8 rounds, 128-bit key, 64-bit block, as RFC 2994 describes it (checked against the
/// RFC's test vectors). IEC 62055-41 uses it unchanged on the big-endian data block.
/// </summary>
public sealed class Misty1Cipher : ITokenCipher
{
    // EK: K[0..7] the key words, K'[0..7] = FI(K[i], K[i+1]). RFC 2994 §2.2.
    private readonly ushort[] _k = new ushort[8];
    private readonly ushort[] _kp = new ushort[8];

    /// <summary>A cipher for a 128-bit decoder key.</summary>
    public Misty1Cipher(DecoderKey key)
    {
        if (key.Bits != 128)
        {
            throw new ArgumentException("MISTY1 needs a 128-bit key.", nameof(key));
        }

        for (int i = 0; i < 4; i++)
        {
            _k[i] = unchecked((ushort)(key.High >> (48 - (16 * i))));
            _k[i + 4] = unchecked((ushort)(key.Low >> (48 - (16 * i))));
        }

        for (int i = 0; i < 8; i++)
        {
            _kp[i] = Fi(_k[i], _k[(i + 1) % 8]);
        }
    }

    /// <inheritdoc />
    public EncryptionAlgorithm Algorithm => EncryptionAlgorithm.Misty1;

    /// <inheritdoc />
    public ulong Encrypt(ulong block)
    {
        uint d0 = (uint)(block >> 32);
        uint d1 = unchecked((uint)block);
        for (int r = 0; r < 8; r += 2)
        {
            d0 = Fl(d0, r);
            d1 = Fl(d1, r + 1);
            d1 ^= Fo(d0, r);
            d0 ^= Fo(d1, r + 1);
        }

        d0 = Fl(d0, 8);
        d1 = Fl(d1, 9);
        return ((ulong)d1 << 32) | d0;
    }

    /// <inheritdoc />
    public ulong Decrypt(ulong block)
    {
        uint d1 = (uint)(block >> 32);
        uint d0 = unchecked((uint)block);
        d0 = FlInverse(d0, 8);
        d1 = FlInverse(d1, 9);
        for (int r = 6; r >= 0; r -= 2)
        {
            d0 ^= Fo(d1, r + 1);
            d1 ^= Fo(d0, r);
            d0 = FlInverse(d0, r);
            d1 = FlInverse(d1, r + 1);
        }

        return ((ulong)d0 << 32) | d1;
    }

    private static ushort Fi(uint input, uint key)
    {
        var s7 = Misty1Tables.S7;
        var s9 = Misty1Tables.S9;
        uint d9 = input >> 7;
        uint d7 = input & 0x7F;
        d9 = s9[(int)d9] ^ d7;
        d7 = (s7[(int)d7] ^ d9) & 0x7F;
        d7 ^= key >> 9;
        d9 ^= key & 0x1FF;
        d9 = s9[(int)d9] ^ d7;
        return (ushort)((d7 << 9) | d9);
    }

    private uint Fo(uint input, int k)
    {
        uint t0 = input >> 16;
        uint t1 = input & 0xFFFF;
        t0 ^= _k[k];
        t0 = Fi(t0, _kp[(k + 5) % 8]);
        t0 ^= t1;
        t1 ^= _k[(k + 2) % 8];
        t1 = Fi(t1, _kp[(k + 1) % 8]);
        t1 ^= t0;
        t0 ^= _k[(k + 7) % 8];
        t0 = Fi(t0, _kp[(k + 3) % 8]);
        t0 ^= t1;
        t1 ^= _k[(k + 4) % 8];
        return (t1 << 16) | t0;
    }

    private uint Fl(uint input, int i)
    {
        uint d0 = input >> 16;
        uint d1 = input & 0xFFFF;
        if (i % 2 == 0)
        {
            d1 ^= d0 & _k[i / 2];
            d0 ^= d1 | _kp[((i / 2) + 6) % 8];
        }
        else
        {
            d1 ^= d0 & _kp[(((i - 1) / 2) + 2) % 8];
            d0 ^= d1 | _k[(((i - 1) / 2) + 4) % 8];
        }

        return (d0 << 16) | d1;
    }

    private uint FlInverse(uint input, int i)
    {
        uint d0 = input >> 16;
        uint d1 = input & 0xFFFF;
        if (i % 2 == 0)
        {
            d0 ^= d1 | _kp[((i / 2) + 6) % 8];
            d1 ^= d0 & _k[i / 2];
        }
        else
        {
            d0 ^= d1 | _k[(((i - 1) / 2) + 4) % 8];
            d1 ^= d0 & _kp[(((i - 1) / 2) + 2) % 8];
        }

        return (d0 << 16) | d1;
    }
}
