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

    // Meter 1, PAN 600727000000000009: an 11-digit DRN, so the IIN 600727.
    public static readonly PrimaryAccountNumber Meter1 = PrimaryAccountNumber.ForDecoderReference("00000000000");

    // Meter 2, PAN 000001000000000082: a 13-digit DRN (MfrCode 0100, DSN 00000000, check digit 8) with the IIN
    // 0000, as IEC 62055-41 reads it. The source splits it 000001 + 00000000008; both splits give the same key
    // (Keys/MeterPanTests), and every meter 2 vector here goes through the 13-digit split.
    public static readonly PrimaryAccountNumber Meter2 = PrimaryAccountNumber.ForDecoderReference("0100000000008");

    public static DecoderKey Dkga02Key(PrimaryAccountNumber pan, int ti = 1, int krn = 1, int sgc = 123456, int kt = 2, VendingKey? vudk = null)
    {
        using var dkga = new Dkga02(vudk ?? Vudk64);
        return dkga.Derive(KeyDerivationInput.Create(sgc, ti, krn, kt, pan));
    }

    public static DecoderKey Dkga04Key(PrimaryAccountNumber pan, BaseDate baseDate, int ti = 1, int krn = 1, int sgc = 123457, EncryptionAlgorithm ea = EncryptionAlgorithm.Misty1) =>
        new Dkga04(Vudk160).Derive(KeyDerivationInput.Create(sgc, ti, krn, 2, pan), baseDate, ea);

    public static uint Tid(int year, int month, int day, int hour, int minute, BaseDate baseDate = BaseDate.Y1993) =>
        TokenIdentifier.FromInstant(new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.Zero), baseDate).Minutes;

    // The sources write times as "dd/MM/yyyy HH:mm[:ss]" (UTC); seconds are truncated (IEC 62055-41 §6.3.5).
    public static uint Tid(string ddMMyyyyHHmm, BaseDate baseDate = BaseDate.Y1993) =>
        TokenIdentifier.FromInstant(
            DateTimeOffset.ParseExact(ddMMyyyyHHmm, ["dd/MM/yyyy HH:mm", "dd/MM/yyyy HH:mm:ss"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
            baseDate).Minutes;

    public static string Encode(DecoderKey key, EncryptionAlgorithm ea, TokenData data) =>
        new TokenCodec(TokenCiphers.Create(ea, key)).Encode(data).ToString();

    /// <summary>A credit token for an amount the standard rounds up to the next representable one (RND 5).</summary>
    public static string CreditRoundingUp(DecoderKey key, EncryptionAlgorithm ea, int subclass, uint tid, long askedUnits) =>
        Encode(key, ea, TokenData.CreditTransfer(subclass, 5, tid, TransferAmount.FromUnitsRoundingUp(askedUnits)));

    /// <summary>The key change set, encrypted with <paramref name="current"/>.</summary>
    public static string[] KeyChange(DecoderKey current, EncryptionAlgorithm ea, DecoderKey next, byte ken, int krn, int ti, int sgc, bool rollover = false) =>
        StsTokenIssuer.IssueKeyChangeTokens(current, ea, new KeyChangeRequest(next, ken, krn, 2, ti, sgc, rollover));
}
