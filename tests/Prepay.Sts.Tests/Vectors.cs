using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;

namespace Prepay.Sts.Tests;

/// <summary>Shared inputs of the STS Association conformance vectors.</summary>
internal static class Vectors
{
    // STS 531-1-0-02 (DKGA-02 + EA07) CTSA01..05 setup, as used by NectarAPI/tokens-service
    // src/test/java/ke/co/nectar/token/domain/token/STSComplianceTests_STS_531_1_0_02_CTSA*.java:
    // VUDK abababababababab, KT 2, SGC 123456, TI 01, KRN 1, KEN 255.
    public static readonly VendingKey Vudk64 = VendingKey.ParseHex("abababababababab");

    // STS 531-1-0-04 (DKGA-04 + EA11) CTSA01/05 setup (same source, ..._STS_531_1_0_04_CTSA*.java):
    // 160-bit vending key, SGC 123457, KT 2, TI 01.
    public static readonly VendingKey Vudk160 = VendingKey.ParseHex("abababababababab949494949494949401234567");

    public static readonly PrimaryAccountNumber Meter1 = PrimaryAccountNumber.Create("600727", "00000000000");
    public static readonly PrimaryAccountNumber Meter2 = PrimaryAccountNumber.Create("000001", "00000000008");

    public static DecoderKey Dkga02Key(PrimaryAccountNumber pan, int ti = 1, int krn = 1)
    {
        using var dkga = new Dkga02(Vudk64);
        return dkga.Derive(KeyDerivationInput.Create(123456, ti, krn, 2, pan));
    }

    public static DecoderKey Dkga04Key(PrimaryAccountNumber pan, BaseDate baseDate, int ti = 1, int krn = 1) =>
        new Dkga04(Vudk160).Derive(KeyDerivationInput.Create(123457, ti, krn, 2, pan), baseDate, EncryptionAlgorithm.Misty1);

    public static uint Tid(int year, int month, int day, int hour, int minute, BaseDate baseDate = BaseDate.Y1993) =>
        TokenIdentifier.FromInstant(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), baseDate).Minutes;

    public static string Encode(DecoderKey key, EncryptionAlgorithm ea, TokenData data) =>
        new TokenCodec(TokenCiphers.Create(ea, key)).Encode(data).ToString();
}
