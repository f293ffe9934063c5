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
    public void Keygen_with_the_conformance_inputs_prints_the_standards_decoder_key()
    {
        var o = StsCommands.Keygen(ConformanceVendingKey, "123456", "01", "1", "2", "00000000000", null, null, null, null, json: false);
        Assert.Equal(new CommandOutcome(0, "Decoder key: " + ConformanceDecoderKey, ""), o);
    }

    [Fact]
    public void Keygen_json_output_parses_and_holds_the_same_key()
    {
        var o = StsCommands.Keygen(ConformanceVendingKey, "123456", "1", "1", "2", "00000000000", "600727", "02", "07", "1993", json: true);
        Assert.Equal(0, o.ExitCode);
        Assert.Equal("", o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Equal(ConformanceDecoderKey, doc.RootElement.GetProperty("decoderKey").GetString());
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

        var grouped = StsCommands.Encode(ExampleKey, "0", "0", ExampleTid, "25.6", "11", null, null, json: false);
        Assert.Equal(ExampleToken, new string(grouped.Stdout.Where(char.IsAsciiDigit).ToArray()));
        Assert.NotEqual(ExampleToken, grouped.Stdout);
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
        var grouped = StsCommands.Encode(ExampleKey, "0", "0", ExampleTid, "25.6", "11", null, null, json: false).Stdout;
        var o = StsCommands.Decode(ExampleKey, grouped, null, null, json: true);
        Assert.True(o.ExitCode == 0, o.Stderr);
        using var doc = JsonDocument.Parse(o.Stdout);
        Assert.Equal("25.6", doc.RootElement.GetProperty("amount").GetString());
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
