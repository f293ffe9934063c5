using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Tokens;

namespace Prepay.Sts.Keys;

/// <summary>
/// DKGA-04, decoder key generation with HMAC-SHA-256 (a counter-less SP 800-108 style KDF). IEC 62055-41
/// §6.5.2.5. Key: the 160-bit vending key. Data: a count of label fields (4) then "04", base date ("93"/"14"/"35"),
/// EA ("07"/"11"), TI, each with a length byte; 0x00; a count of context fields (4) then SGC, KT, KRN, PAN
/// (18 digits), each with a length byte; the decoder key length in bits as 4 bytes. The decoder key is the
/// first 8 or 16 bytes of the MAC. Verified by the STS 531-1-0-04 CTSA01/CTSA05 vectors (EA11).
/// </summary>
public sealed class Dkga04
{
    private readonly byte[] _vendingKey;

    /// <summary>A generator for one 160-bit vending key.</summary>
    public Dkga04(VendingKey vendingKey)
    {
        ArgumentNullException.ThrowIfNull(vendingKey);
        if (vendingKey.Bits != 160)
        {
            throw new ArgumentException("DKGA-04 needs a 160-bit vending key.", nameof(vendingKey));
        }

        _vendingKey = new byte[20];
        vendingKey.CopyTo(_vendingKey);
    }

    /// <summary>The decoder key (64 bits for EA07/EA09, 128 for EA11) of a meter.</summary>
    public DecoderKey Derive(in KeyDerivationInput input, BaseDate baseDate, EncryptionAlgorithm algorithm)
    {
        int bits = TokenCiphers.KeyBits(algorithm);
        Span<byte> data = stackalloc byte[96];
        int n = 0;
        data[n++] = 4;
        n += Field(data[n..], "04");
        n += Field(data[n..], baseDate.ShortCode());
        n += Field(data[n..], ((int)algorithm).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
        n += Field(data[n..], input.TiDigits);
        data[n++] = 0;
        data[n++] = 4;
        n += Field(data[n..], input.SgcDigits);
        n += Field(data[n..], input.KeyType.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        n += Field(data[n..], input.KeyRevisionNumber.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        n += Field(data[n..], input.Pan.Value);
        BinaryPrimitives.WriteInt32BigEndian(data[n..], bits);
        n += 4;

        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_vendingKey, data[..n], mac);
        return DecoderKey.FromBytes(mac[..(bits / 8)]);
    }

    private static int Field(Span<byte> destination, string ascii)
    {
        destination[0] = (byte)ascii.Length;
        return 1 + Encoding.ASCII.GetBytes(ascii, destination[1..]);
    }
}
