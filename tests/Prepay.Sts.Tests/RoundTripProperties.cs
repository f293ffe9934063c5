using CsCheck;
using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;
using Xunit;

namespace Prepay.Sts.Tests;

public sealed class RoundTripProperties
{
    private static readonly Gen<EncryptionAlgorithm> GenAlgorithm = Gen.Bool.Select(b => b ? EncryptionAlgorithm.Sta : EncryptionAlgorithm.Misty1);

    private static readonly Gen<(EncryptionAlgorithm Ea, DecoderKey Key)> GenKey =
        Gen.Select(GenAlgorithm, Gen.ULong, Gen.ULong).Select(t =>
            (t.Item1, t.Item1 == EncryptionAlgorithm.Misty1 ? DecoderKey.From128(t.Item2, t.Item3) : DecoderKey.From64(t.Item2)));

    private static readonly Gen<TokenData> GenData = Gen.Int[0, 2].SelectMany(c => c switch
    {
        0 => Gen.Select(Gen.Int[0, 15], Gen.Int[0, 15], Gen.UInt[0, TokenIdentifier.MaxMinutes], Gen.UShort)
            .Select(t => TokenData.CreditTransfer(t.Item1, t.Item2, t.Item3, TransferAmount.FromEncoded(t.Item4))),
        1 => Gen.Select(Gen.Int[0, 15], Gen.ULong[0, TokenData.DataMask])
            .Select(t => TokenData.Create(TokenClass.NonMeterSpecificEngineering, t.Item1, t.Item2)),
        _ => Gen.Select(Gen.Int[0, 15], Gen.ULong[0, TokenData.DataMask])
            .Select(t => TokenData.Create(TokenClass.MeterSpecificManagement, t.Item1, t.Item2)),
    });

    [Fact]
    public void Encode_then_decode_gives_back_every_field_for_all_classes_and_both_algorithms()
    {
        Gen.Select(GenKey, GenData).Sample(t =>
        {
            var codec = new TokenCodec(TokenCiphers.Create(t.Item1.Ea, t.Item1.Key));
            var token = codec.Encode(t.Item2);
            Assert.Null(TokenNumber.TryParse(token.ToString(), out var parsed));
            var back = codec.Decode(parsed, out bool crcOk);
            Assert.True(crcOk);
            Assert.Equal(t.Item2, back);
            Assert.Equal(t.Item2.Class, parsed.Class);
        });
    }

    [Fact]
    public void Credit_tokens_round_trip_over_every_base_date_and_the_whole_amount_range()
    {
        var instants = Gen.Select(Gen.Int[0, 2].Select(i => i == 0 ? BaseDate.Y1993 : i == 1 ? BaseDate.Y2014 : BaseDate.Y2035), Gen.UInt[0, TokenIdentifier.MaxMinutes], Gen.Int[0, 59]);
        Gen.Select(GenKey, instants, Gen.Long[0, TransferAmount.MaxUnits], Gen.Int[0, 7]).Sample(t =>
        {
            var (baseDate, minutes, seconds) = t.Item2;
            var instant = baseDate.Epoch().AddMinutes(minutes).AddSeconds(seconds);
            var tid = TokenIdentifier.FromInstant(instant, baseDate);
            var amount = TransferAmount.FromUnitsRoundingDown(t.Item3);
            string digits = StsTokenIssuer.IssueCreditToken(t.Item1.Key, t.Item1.Ea, baseDate, t.Item4, tid.Minutes, amount.Units, 5);

            var codec = new TokenCodec(TokenCiphers.Create(t.Item1.Ea, t.Item1.Key));
            Assert.Null(TokenNumber.TryParse(digits, out var token));
            var data = codec.Decode(token, out bool crcOk);
            Assert.True(crcOk);
            Assert.Equal(amount.Units, data.Amount.Units);
            Assert.Equal(instant.AddSeconds(-seconds), TokenIdentifier.FromMinutes(data.Tid, baseDate).ToInstant());
            Assert.Equal(t.Item4, data.Subclass);
        });
    }

    [Fact]
    public void Sta_and_misty1_decrypt_what_they_encrypt()
    {
        Gen.Select(GenKey, Gen.ULong).Sample(t =>
        {
            var cipher = TokenCiphers.Create(t.Item1.Ea, t.Item1.Key);
            Assert.Equal(t.Item2, cipher.Decrypt(cipher.Encrypt(t.Item2)));
        });
    }

    [Fact]
    public void Token_with_bad_crc_is_rejected_by_the_codec()
    {
        // Every single-digit change of the CTSA01 step 1 tokens (EA07 and EA11) must fail the CRC or leave 2^66.
        foreach (var (ea, key, digits) in new[]
        {
            (EncryptionAlgorithm.Sta, Vectors.Dkga02Key(Vectors.Meter1), "23716100501183194197"),
            (EncryptionAlgorithm.Misty1, Vectors.Dkga04Key(Vectors.Meter1, BaseDate.Y1993), "59386323472137426967"),
        })
        {
            var codec = new TokenCodec(TokenCiphers.Create(ea, key));
            Assert.Null(TokenNumber.TryParse(digits, out var good));
            codec.Decode(good, out bool goodOk);
            Assert.True(goodOk);
            for (int position = 0; position < 20; position++)
            {
                for (char d = '0'; d <= '9'; d++)
                {
                    if (digits[position] == d)
                    {
                        continue;
                    }

                    string changed = digits[..position] + d + digits[(position + 1)..];
                    if (TokenNumber.TryParse(changed, out var token) is not null)
                    {
                        continue;
                    }

                    codec.Decode(token, out bool ok);
                    Assert.False(ok, $"{changed} passed the CRC");
                }
            }
        }
    }
}
