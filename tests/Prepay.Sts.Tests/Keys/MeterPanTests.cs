using Prepay.Sts.Algorithms;
using Prepay.Sts.Keys;
using Prepay.Sts.Tokens;
using Xunit;
using static Prepay.Sts.Tests.Vectors;

namespace Prepay.Sts.Tests.Keys;

/// <summary>
/// MeterPAN from the decoder reference number. IEC 62055-41 §6.1.2: IIN 600727 with an 11-digit DRN, IIN 0000 with
/// a 13-digit DRN, a Luhn check digit over both: 18 digits. The meters are those of STS 531-1-0-02/-04 as
/// transcribed in NectarAPI/tokens-service (MeterPrimaryAccountNumber "600727000000000009", "000001000000000082",
/// "600727111111111153").
/// </summary>
public sealed class MeterPanTests
{
    [Theory]
    [InlineData("00000000000", "600727", "600727000000000009")] // STS 531-1-0-02 meter 1
    [InlineData("0100000000008", "0000", "000001000000000082")] // STS 531-1-0-02 meter 2 (MfrCode 0100)
    [InlineData("11111111115", "600727", "600727111111111153")] // STS 531-1-0-02 CTSA16 meter
    [InlineData("12123456787", "600727", "600727121234567876")] // DRN of NectarAPI IndividualAccountIdentificationNumberTest
    public void The_IIN_follows_from_the_length_of_the_decoder_reference_number(string drn, string iin, string pan)
    {
        var meterPan = PrimaryAccountNumber.ForDecoderReference(drn);
        Assert.Equal(iin, meterPan.Iin);
        Assert.Equal(drn, meterPan.Iain);
        Assert.Equal(pan, meterPan.Value);
        Assert.Equal(PrimaryAccountNumber.Digits, meterPan.Value.Length);
    }

    [Fact]
    public void Meter_2_derives_the_same_keys_through_the_13_digit_split_as_through_the_sources_split()
    {
        var sourceSplit = PrimaryAccountNumber.Create("000001", "00000000008");
        Assert.Equal(sourceSplit.Value, Meter2.Value);
        Assert.Equal(sourceSplit.PanBlock(), Meter2.PanBlock());
        Assert.Equal(Dkga02Key(sourceSplit), Dkga02Key(Meter2));
        Assert.Equal(Dkga04Key(sourceSplit, BaseDate.Y1993), Dkga04Key(Meter2, BaseDate.Y1993));
        Assert.Equal(Dkga04Key(sourceSplit, BaseDate.Y2014, ea: EncryptionAlgorithm.Sta), Dkga04Key(Meter2, BaseDate.Y2014, ea: EncryptionAlgorithm.Sta));
    }

    [Fact]
    public void Meter_2_through_the_13_digit_split_reproduces_its_CTSA01_token()
    {
        // STS 531-1-0-02 CTSA01 step 2: meter 2, 0.1 kWh, 01/03/2004 14:00.
        var data = TokenData.CreditTransfer(CreditSubclass.Electricity, 5, Tid(2004, 3, 1, 14, 0), TransferAmount.FromUnitsExact(1));
        Assert.Equal("67206107716095682372", Encode(Dkga02Key(PrimaryAccountNumber.ForDecoderReference("0100000000008")), EncryptionAlgorithm.Sta, data));
    }

    [Fact]
    public void A_13_digit_number_with_the_11_digit_IIN_would_derive_another_key()
    {
        // What callers did before: IIN 600727 for every meter. The PAN then has 20 digits and the key is wrong.
        Assert.NotNull(PrimaryAccountNumber.TryForDecoderReference("0100000000008", "600727", out _));
        Assert.NotNull(PrimaryAccountNumber.TryCreate("600727", "0100000000008", out _));
    }

    [Theory]
    [InlineData("0100000000008", "600727", "IIN 600727 (6 digits) with a 13-digit decoder reference number makes a 20-digit PAN; a meter PAN has 18 digits: a 13-digit number takes a 4-digit IIN (0000)")]
    [InlineData("00000000000", "0000", "IIN 0000 (4 digits) with an 11-digit decoder reference number makes a 16-digit PAN; a meter PAN has 18 digits: an 11-digit number takes a 6-digit IIN (600727)")]
    [InlineData("00000000000", "60072", "The IIN has 4 or 6 digits.")]
    [InlineData("00000000000", "60O727", "The IIN has 4 or 6 digits.")]
    [InlineData("000000000000", null, "A decoder reference number (IAIN) has 11 or 13 digits, this one has 12.")]
    [InlineData("0000000000x", null, "A decoder reference number (IAIN) has only digits.")]
    [InlineData(null, null, "A decoder reference number (IAIN) of 11 or 13 digits is needed.")]
    public void An_IIN_or_number_that_cannot_make_an_18_digit_PAN_is_refused_with_one_line(string? drn, string? iin, string message)
    {
        Assert.Equal(message, PrimaryAccountNumber.TryForDecoderReference(drn, iin, out var pan));
        Assert.Equal(default, pan);
        Assert.DoesNotContain('\n', message);
        if (drn is not null)
        {
            Assert.Equal(message, Assert.Throws<FormatException>(() => PrimaryAccountNumber.ForDecoderReference(drn, iin)).Message);
        }
    }

    [Theory]
    [InlineData("0100000000008", "0000")]
    [InlineData("00000000000", "600727")]
    [InlineData("00000000008", "000001")] // the sources' split of meter 2
    public void An_IIN_override_that_makes_an_18_digit_PAN_is_taken(string drn, string iin)
    {
        Assert.Null(PrimaryAccountNumber.TryForDecoderReference(drn, iin, out var pan));
        Assert.Equal(iin, pan.Iin);
        Assert.Equal(18, pan.Value.Length);
    }

    // IEC 62055-41 §6.1.2: DRN = MfrCode (2 or 4 digits) ‖ DSN (8 digits) ‖ check digit, the check digit being the
    // Luhn digit (ISO/IEC 7812-1) of MfrCode ‖ DSN for both lengths. Sources: NectarAPI/tokens-service
    // IndividualAccountIdentificationNumber (MfrCode 2 or 4 digits, DSN 8, LuhnAlgorithm over both),
    // IndividualAccountIdentificationNumberTest (MfrCode 12 + DSN 12345678 → check digit 7), ManufacturerCodeTest
    // (MfrCodes of 2 and 4 digits, not 3), MeterPrimaryAccountNumber (the DRN of a PAN not starting 600727 is
    // 4 + 8 digits, its check digit validated the same way).
    [Theory]
    [InlineData("12123456787", true)] // IndividualAccountIdentificationNumberTest: 12 ‖ 12345678 → 7
    [InlineData("12123456788", false)]
    [InlineData("00000000000", true)] // meter 1
    [InlineData("11111111115", true)] // CTSA16 meter
    [InlineData("0100000000008", true)] // meter 2: 0100 ‖ 00000000 → 8
    [InlineData("0100000000009", false)]
    [InlineData("00000000008", false)] // meter 2 as the sources split it: not a valid 11-digit DRN
    [InlineData("1234123456786", true)] // 1234 ‖ 12345678 → 6
    [InlineData("1234123456780", false)]
    [InlineData("123456789012", false)] // 12 digits: not a DRN
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_decoder_reference_number_check_digit_is_luhn_over_manufacturer_code_and_serial(string? drn, bool valid)
    {
        Assert.Equal(valid, PrimaryAccountNumber.DecoderReferenceCheckDigitIsValid(drn));
    }

    [Fact]
    public void The_PAN_reports_its_decoder_reference_check_digit()
    {
        Assert.True(Meter2.IainCheckDigitIsValid);
        Assert.False(PrimaryAccountNumber.Create("000001", "00000000008").IainCheckDigitIsValid);
    }
}
