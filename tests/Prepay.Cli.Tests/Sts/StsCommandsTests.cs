using System.Globalization;
using System.Text.Json;
using CsCheck;
using Prepay.Cli.Sts;

namespace Prepay.Cli.Tests.Sts;

public class StsCommandsTests
{
    // STS 531-1-0-02 CTSA setup: vending key abababababababab, SGC 123456, TI 01, KRN 1, KT 2, IAIN 00000000000
    // (IIN 600727) gives decoder key e653341f9d5bf36f.
    private const string ConformanceVendingKey = "abababababababab";
    private const string ConformanceDecoderKey = "e653341f9d5bf36f";

    // IEC 62055-41 worked example: decoder key 0ABC12DEF3456789, 25.6 kWh, RND 11, 1996-03-25 13:55.
    private const string ExampleKey = "0ABC12DEF3456789";
    private const string ExampleToken = "29054347139309851356";
    private static readonly string ExampleTid =
        ((long)(new DateTime(1996, 3, 25, 13, 55, 0, DateTimeKind.Utc) - new DateTime(1993, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMinutes).ToString(CultureInfo.InvariantCulture);

    private static void Fails(CommandOutcome o) => OneLineError.Check(o.ExitCode, o.Stdout, o.Stderr);

    [Fact]
    public void Keygen_with_the_conformance_inputs_prints_the_standards_decoder_key_and_the_PAN_it_used()
    {
        var o = StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "00000000000", null, null, null, null, json: false);
        var lines = o.Stdout.Split(Environment.NewLine);
        Assert.Equal(0, o.ExitCode);
        Assert.Equal("", o.Stderr);
        Assert.Equal("Decoder key: " + ConformanceDecoderKey, lines[0]);
        Assert.Equal("PAN:         600727000000000009 (IIN 600727, DRN 00000000000)", lines[1]);
        Assert.Equal("DRN check digit: valid", lines[2]);
    }

    [Fact]
    public void Keygen_json_output_parses_and_holds_the_same_key()
    {
        var o = StsCommands.Keygen(ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", "600727", "02", "07", "1993", json: true);
        Assert.Equal(0, o.ExitCode);
        Assert.Equal("", o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Equal(ConformanceDecoderKey, doc.RootElement.GetProperty("decoderKey").GetString());
        Assert.Equal("600727000000000009", doc.RootElement.GetProperty("pan").GetString());
        Assert.True(doc.RootElement.GetProperty("drnCheckDigitValid").GetBoolean());
    }

    [Fact]
    public void Keygen_with_another_tariff_index_derives_another_key()
    {
        var a = StsCommands.Keygen(ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, null, null, null, json: true);
        var b = StsCommands.Keygen(ConformanceVendingKey, "123456", "2", "1", "2", "00000000000", null, null, null, null, json: true);
        Assert.Equal(0, b.ExitCode);
        Assert.NotEqual(a.Stdout, b.Stdout);
    }

    [Fact]
    public void Keygen_dkga04_with_a_160_bit_vending_key_gives_a_128_bit_key_for_misty1()
    {
        var o = StsCommands.Keygen("abababababababab949494949494949401234567", "123457", "01", "1", "2", "00000000000", null, "04", "11", "1993", json: true);
        Assert.True(o.ExitCode == 0, o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Matches("^[0-9a-f]{32}$", doc.RootElement.GetProperty("decoderKey").GetString());
    }

    [Fact]
    public void Encode_reproduces_the_standards_worked_example()
    {
        var o = StsCommands.Encode(ExampleKey, "0", "0", ExampleTid, "25.6", "11", "07", "1993", json: true);
        Assert.True(o.ExitCode == 0, o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Equal(ExampleToken, doc.RootElement.GetProperty("token").GetString());

        var text = StsCommands.Encode(ExampleKey, "0", "0", ExampleTid, "25.6", "11", null, null, json: false).Stdout.Split(Environment.NewLine);
        Assert.Equal(ExampleToken, new string(text[0].Where(char.IsAsciiDigit).ToArray()));
        Assert.NotEqual(ExampleToken, text[0]);
        Assert.Equal("amount:   25.6", text[1]);
    }

    [Fact]
    public void Decode_of_the_worked_example_prints_every_field()
    {
        var o = StsCommands.Decode(ExampleKey, ExampleToken, null, null, json: false);
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Contains("class:    0", o.Stdout, StringComparison.Ordinal);
        Assert.Contains("rnd:      11", o.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tid:      {ExampleTid} (1996-03-25T13:55Z)", o.Stdout, StringComparison.Ordinal);
        Assert.Contains("amount:   25.6", o.Stdout, StringComparison.Ordinal);
        Assert.Contains("crcOk:    true", o.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_accepts_the_grouped_token_as_printed_by_encode()
    {
        var grouped = StsCommands.Encode(ExampleKey, "0", "0", ExampleTid, "25.6", "11", null, null, json: false).Stdout.Split(Environment.NewLine)[0];
        var o = StsCommands.Decode(ExampleKey, grouped, null, null, json: true);
        Assert.True(o.ExitCode == 0, o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Equal("25.6", doc.RootElement.GetProperty("amount").GetString());
    }

    // STS 531-1-0-02/-04 conformance steps (as transcribed in NectarAPI/tokens-service src/test/java/ke/co/nectar/
    // token/domain/token/STSComplianceTests_STS_531_1_0_0{2,4}_CTSA*.java) through the command line. TIDs are
    // minutes since 1993-01-01, RND 5.
    private static string Tid(int year, int month, int day, int hour, int minute) =>
        ((long)(new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Utc) - new DateTime(1993, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMinutes).ToString(CultureInfo.InvariantCulture);

    private static JsonElement Json(CommandOutcome o)
    {
        Assert.True(o.ExitCode == 0, o.Stderr);
        Assert.Equal("", o.Stderr);
        return JsonDocument.Parse(o.Stdout).RootElement.Clone();
    }

    private static string KeyOf(CommandOutcome keygen) => Json(keygen).GetProperty("decoderKey").GetString()!;

    [Fact]
    public void Keygen_derives_the_IIN_of_a_13_digit_meter_and_its_key_gives_the_published_token()
    {
        // Meter 2 of STS 531-1-0-02: DRN 0100000000008 (13 digits) → IIN 0000, PAN 000001000000000082.
        var keygen = Json(StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "0100000000008", null, null, null, null, json: true));
        Assert.Equal("000001000000000082", keygen.GetProperty("pan").GetString());
        Assert.Equal("0000", keygen.GetProperty("iin").GetString());
        Assert.True(keygen.GetProperty("drnCheckDigitValid").GetBoolean());

        // CTSA01 step 2: 0.1 kWh for meter 2 on 01/03/2004 14:00.
        var token = Json(StsCommands.Encode(keygen.GetProperty("decoderKey").GetString(), "0", "0", Tid(2004, 3, 1, 14, 0), "0.1", "5", "07", "1993", json: true));
        Assert.Equal("67206107716095682372", token.GetProperty("token").GetString());
    }

    [Fact]
    public void Keygen_gives_meter_2_the_same_key_through_the_sources_IIN_override_and_flags_its_check_digit()
    {
        var derived = StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "0100000000008", null, null, null, null, json: true);
        var overridden = Json(StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "00000000008", "000001", null, null, null, json: true));
        Assert.Equal(KeyOf(derived), overridden.GetProperty("decoderKey").GetString());
        Assert.Equal("000001000000000082", overridden.GetProperty("pan").GetString());
        Assert.False(overridden.GetProperty("drnCheckDigitValid").GetBoolean());
        Assert.Contains("DRN check digit: not valid", StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "00000000008", "000001", null, null, null, json: false).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Keygen_refuses_an_IIN_that_cannot_make_an_18_digit_PAN_with_the_meter_number()
    {
        var o = StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "0100000000008", "600727", null, null, null, json: false);
        Fails(o);
        Assert.Equal("IIN 600727 (6 digits) with a 13-digit decoder reference number makes a 20-digit PAN; a meter PAN has 18 digits: a 13-digit number takes a 4-digit IIN (0000)", o.Stderr);
    }

    [Fact]
    public void Keygen_dkga04_for_a_13_digit_meter_reproduces_the_misty1_clear_credit_of_CTSA04()
    {
        // STS 531-1-0-04 CTSA04 step 2: meter 2, clear all registers (mask 65535) on 28/03/2004 09:16.
        var key = KeyOf(StsCommands.Keygen("abababababababab949494949494949401234567", "123457", "01", "1", "2", "0100000000008", null, "04", "11", "1993", json: true));
        var token = Json(StsCommands.Encode(key, "2", "1", Tid(2004, 3, 28, 9, 16), "65535", "5", "11", "1993", json: true));
        Assert.Equal("43917986274716482997", token.GetProperty("token").GetString());
    }

    [Fact]
    public void Encode_rounds_2000_kWh_up_to_the_2000_point_4_the_token_carries_as_in_CTSA10()
    {
        // STS 531-1-0-02 CTSA10 step 4: 2 000.0 kWh on 01/04/2004 00:45 → 71997443697501228179, carrying 2 000.4 kWh.
        var json = Json(StsCommands.Encode(ConformanceDecoderKey, "0", "0", Tid(2004, 4, 1, 0, 45), "2000.0", "5", "07", "1993", json: true));
        Assert.Equal("71997443697501228179", json.GetProperty("token").GetString());
        Assert.Equal("2000.4", json.GetProperty("amountEncoded").GetString());
        Assert.True(json.GetProperty("roundedUp").GetBoolean());

        var text = StsCommands.Encode(ConformanceDecoderKey, "0", "0", Tid(2004, 4, 1, 0, 45), "2000", "5", null, null, json: false).Stdout.Split(Environment.NewLine);
        Assert.Equal("7199-7443-6975-0122-8179", text[0]);
        Assert.Equal("amount:   2000.4 (asked 2000; rounded up to the next amount STS can carry)", text[1]);
    }

    [Theory]
    [InlineData("0", 0, 30, "25.6", "25.6", "26456622012185850752")] // CTSA10 step 1 (exact)
    [InlineData("1", 0, 50, "18022.3", "18022.4", "09641054211308025667")] // CTSA10 step 14, water
    [InlineData("2", 1, 44, "181862.3", "181862.4", "14196243940519813244")] // CTSA10 step 25, gas
    public void Encode_reproduces_the_CTSA10_amounts_and_decode_reads_what_they_carry(string subclass, int hour, int minute, string asked, string carried, string expected)
    {
        var json = Json(StsCommands.Encode(ConformanceDecoderKey, "0", subclass, Tid(2004, 4, 1, hour, minute), asked, "5", "07", "1993", json: true));
        Assert.Equal(expected, json.GetProperty("token").GetString());
        Assert.Equal(carried, json.GetProperty("amountEncoded").GetString());
        Assert.Equal(carried, Json(StsCommands.Decode(ConformanceDecoderKey, expected, "07", "1993", json: true)).GetProperty("amount").GetString());
    }

    [Fact]
    public void Encode_with_exact_refuses_an_amount_STS_cannot_carry_on_one_line()
    {
        var o = StsCommands.Encode(ConformanceDecoderKey, "0", "0", Tid(2004, 4, 1, 0, 45), "2000.0", "5", null, null, json: false, exact: true);
        Fails(o);
        Assert.Contains("1999.4", o.Stderr, StringComparison.Ordinal);
        Assert.Contains("2000.4", o.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, StsCommands.Encode(ConformanceDecoderKey, "0", "0", Tid(2004, 4, 1, 0, 30), "25.6", "5", null, null, json: false, exact: true).ExitCode);
    }

    [Fact]
    public void Encode_carries_a_power_limit_in_watts_in_the_amount_format_as_in_CTSA12()
    {
        // STS 531-1-0-02 CTSA12 step 4: maximum power limit 20 000 W on 01/04/2004 07:15 → 20 004 W carried.
        var json = Json(StsCommands.Encode(ConformanceDecoderKey, "2", "0", Tid(2004, 4, 1, 7, 15), "20000", "5", "07", "1993", json: true));
        Assert.Equal("49240429350369491663", json.GetProperty("token").GetString());
        Assert.Equal("20004", json.GetProperty("amountEncoded").GetString());
        Assert.Equal("20004", Json(StsCommands.Decode(ConformanceDecoderKey, "49240429350369491663", null, null, json: true)).GetProperty("amount").GetString());
    }

    [Fact]
    public void Encode_makes_the_unencrypted_class_1_test_token_of_CTSA11()
    {
        // STS 531-1-0-02 CTSA11 step 1: control 1, 2-digit MfrCode 00; class 1 is not encrypted, so any key will do.
        var json = Json(StsCommands.Encode(ExampleKey, "1", "0", null, "1", null, null, null, json: true));
        Assert.Equal("00000000000150997584", json.GetProperty("token").GetString());
    }

    private static readonly Gen<(string Ea, string Key, int Subclass, int Rnd, uint Tid, int Units)> Tokens =
        from ea in Gen.OneOf("07", "09", "11")
        from hex in Gen.ULong.Array[ea == "11" ? 2 : 1]
        let key = string.Concat(hex.Select(h => h.ToString("x16", CultureInfo.InvariantCulture)))
        from subclass in Gen.Int[0, 3]
        from rnd in Gen.Int[0, 15]
        from tid in Gen.UInt[0, 10_000_000]
        from units in Gen.Int[0, 16_383]
        select (ea, key, subclass, rnd, tid, units);

    [Fact]
    public void Encode_then_decode_through_the_cli_returns_every_field_for_every_algorithm()
    {
        Tokens.Sample(t =>
        {
            var amount = (t.Units / 10m).ToString("0.0", CultureInfo.InvariantCulture);
            var encoded = StsCommands.Encode(t.Key, "0", t.Subclass.ToString(CultureInfo.InvariantCulture), t.Tid.ToString(CultureInfo.InvariantCulture),
                amount, t.Rnd.ToString(CultureInfo.InvariantCulture), t.Ea, "1993", json: true);
            if (encoded.Stderr.Contains("weak key", StringComparison.Ordinal))
            {
                return;
            }
            Assert.True(encoded.ExitCode == 0, encoded.Stderr);
            var token = JsonDocument.Parse(encoded.Stdout).RootElement.GetProperty("token").GetString();
            Assert.Matches("^[0-9]{20}$", token);

            var decoded = StsCommands.Decode(t.Key, token, t.Ea, "1993", json: true);
            Assert.True(decoded.ExitCode == 0, decoded.Stderr);
            var d = JsonDocument.Parse(decoded.Stdout).RootElement;
            Assert.Equal(0, d.GetProperty("class").GetInt32());
            Assert.Equal(t.Subclass, d.GetProperty("subclass").GetInt32());
            Assert.Equal(t.Rnd, d.GetProperty("rnd").GetInt32());
            Assert.Equal(t.Tid, d.GetProperty("tid").GetUInt32());
            Assert.Equal(amount, d.GetProperty("amount").GetString());
            Assert.True(d.GetProperty("crcOk").GetBoolean());
        }, iter: 300);
    }

    [Fact]
    public void Decoding_with_another_key_is_a_crc_mismatch_on_one_line()
    {
        var o = StsCommands.Decode("0ABC12DEF3456788", ExampleToken, null, null, json: false);
        Fails(o);
        Assert.Contains("CRC", o.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string?, string?, string?, string?, string?, string?, string?, string?, string?, string?> BadKeygens => new()
    {
        { null, "123456", "1", "1", "2", "00000000000", null, null, null, null },
        { "abab", "123456", "1", "1", "2", "00000000000", null, null, null, null },
        { "zzzzzzzzzzzzzzzz", "123456", "1", "1", "2", "00000000000", null, null, null, null },
        { ConformanceVendingKey, "12x456", "1", "1", "2", "00000000000", null, null, null, null },
        { ConformanceVendingKey, "123456", "-1", "1", "2", "00000000000", null, null, null, null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "123", null, null, null, null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, "03", null, null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, "04", null, null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, "02", "11", null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, null, "08", null },
        { ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", null, null, null, "2000" },
    };

    [Theory]
    [MemberData(nameof(BadKeygens))]
    public void Keygen_with_bad_input_exits_2_with_one_line(string? vk, string? sgc, string? ti, string? krn, string? kt, string? iain, string? iin, string? dkga, string? ea, string? baseDate) =>
        Fails(StsCommands.Keygen(vk, sgc, ti, krn, kt, iain, iin, dkga, ea, baseDate, json: false));

    public static TheoryData<string?, string?, string?, string?, string?, string?, string?> BadEncodes => new()
    {
        { null, "0", "0", "100", "1.0", "1", null },
        { "0ABC12DEF345678", "0", "0", "100", "1.0", "1", null },
        { ExampleKey, "0", "0", "100", "1.0", "1", "11" },
        { ExampleKey, "x", "0", "100", "1.0", "1", null },
        { ExampleKey, "3", "0", "100", "1.0", "1", null },
        { ExampleKey, "0", "16", "100", "1.0", "1", null },
        { ExampleKey, "0", "0", "100", "1.0", "16", null },
        { ExampleKey, "0", "0", "-5", "1.0", "1", null },
        { ExampleKey, "0", "0", null, "1.0", "1", null },
        { ExampleKey, "0", "0", "100", "1.05", "1", null },
        { ExampleKey, "0", "0", "100", "-1.0", "1", null },
        { ExampleKey, "0", "0", "100", "ten", "1", null },
        { ExampleKey, "0", "0", "100", "99999999", "1", null },
        { ExampleKey, "0", "4", "100", "1.5", "1", null },
        { ExampleKey, "2", "3", "100", "1", "1", null },
    };

    [Theory]
    [MemberData(nameof(BadEncodes))]
    public void Encode_with_bad_input_exits_2_with_one_line(string? key, string? tokenClass, string? subclass, string? tid, string? amount, string? rnd, string? ea) =>
        Fails(StsCommands.Encode(key, tokenClass, subclass, tid, amount, rnd, ea, null, json: false));

    [Theory]
    [InlineData(ExampleKey, "1234", null, null)]
    [InlineData(ExampleKey, "2905434713930985135x", null, null)]
    [InlineData(ExampleKey, null, null, null)]
    [InlineData("nothex!!nothex!!", ExampleToken, null, null)]
    [InlineData(ExampleKey, ExampleToken, "5", null)]
    [InlineData(ExampleKey, ExampleToken, null, "1990")]
    public void Decode_with_bad_input_exits_2_with_one_line(string? key, string? token, string? ea, string? baseDate) =>
        Fails(StsCommands.Decode(key, token, ea, baseDate, json: false));
}
