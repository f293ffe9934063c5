using System.Security.Cryptography;
using CsCheck;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Sts.Tests;

public sealed class IssuerTests
{
    [Fact]
    public void Issuer_refuses_an_amount_it_cannot_represent_exactly()
    {
        var key = Vectors.Dkga02Key(Vectors.Meter1);
        Assert.Throws<ArgumentOutOfRangeException>(() => StsTokenIssuer.IssueCreditToken(key, EncryptionAlgorithm.Sta, BaseDate.Y1993, 0, 1, 16_385, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => StsTokenIssuer.IssueCreditToken(key, EncryptionAlgorithm.Sta, BaseDate.Y1993, 0, 1u << 24, 1, 5));
    }

    [Fact]
    public void Issuer_refuses_a_key_of_the_wrong_length_for_the_algorithm()
    {
        Assert.Throws<ArgumentException>(() => StsTokenIssuer.IssueCreditToken(Vectors.Dkga02Key(Vectors.Meter1), EncryptionAlgorithm.Misty1, BaseDate.Y1993, 0, 1, 1, 5));
    }

    [Fact]
    public void Dea_decrypts_what_it_encrypts()
    {
        Gen.Select(Gen.ULong, Gen.ULong).Sample(t =>
        {
            DeaCipher cipher;
            try
            {
                cipher = new DeaCipher(t.Item1);
            }
            catch (CryptographicException)
            {
                return; // a DES weak key
            }

            using (cipher)
            {
                ulong encrypted = cipher.Encrypt(t.Item2);
                Assert.Equal(t.Item2, cipher.Decrypt(encrypted));
            }
        }, iter: 300);
    }

    [Fact]
    public void Changing_one_key_bit_changes_the_conformance_token()
    {
        // STS 531-1-0-02 CTSA01 step 1 with its key, then with the key's lowest bit flipped.
        var key = Vectors.Dkga02Key(Vectors.Meter1);
        var data = TokenData.CreditTransfer(CreditSubclass.Electricity, 5, Vectors.Tid(2004, 3, 1, 13, 55), TransferAmount.FromUnitsExact(1));
        Assert.Equal("23716100501183194197", Vectors.Encode(key, EncryptionAlgorithm.Sta, data));
        Assert.NotEqual("23716100501183194197", Vectors.Encode(DecoderKey.From64(key.Low ^ 1), EncryptionAlgorithm.Sta, data));
    }
}
