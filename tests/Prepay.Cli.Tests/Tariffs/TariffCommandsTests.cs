using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Testing;
using Prepay.Cli.Tariffs;
using Prepay.Tariffs.Samples;

namespace Prepay.Cli.Tests.Tariffs;

public sealed class TariffCommandsTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "prepay-cli-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeClock _clock = new(Instant.FromUtc(2026, 8, 10, 8, 0));

    public TariffCommandsTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private string Sample(string name) => Write(name + ".json", TariffSamples.Json(name));

    private (int Exit, string Out, string Err) Quote(string? path, string? amount, string? at = null, string? monthKwh = null, string? resolution = null, bool json = false)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TariffCommands.Quote(new TariffCommands.QuoteRequest(path, amount, at, monthKwh, resolution, json), _clock, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static (int Exit, string Out, string Err) Check(string? path)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = TariffCommands.Check(path, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static long Minor(JsonElement e) => (long)(decimal.Parse(e.GetString()!, CultureInfo.InvariantCulture) * 100);

    [Fact]
    public void Quote_json_parses_and_every_cent_paid_is_accounted_for()
    {
        var (exit, stdout, stderr) = Quote(Sample(TariffSamples.ResidentialBlocks), "250.00", at: "2026-08-10T08:00:00Z", json: true);
        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        var q = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("RES-IBT", q.GetProperty("tariff").GetString());
        Assert.Equal(3, q.GetProperty("tariffVersion").GetInt32());
        Assert.Equal("ZAR", q.GetProperty("currency").GetString());
        Assert.Equal("250.00", q.GetProperty("gross").GetString());
        var taxes = q.GetProperty("tax").EnumerateArray().Sum(t => Minor(t.GetProperty("amount")));
        Assert.Equal(25_000 + Minor(q.GetProperty("carriedIn")),
            taxes + Minor(q.GetProperty("fixedCharges")) + Minor(q.GetProperty("debtRecovered")) + Minor(q.GetProperty("energyCost")) + Minor(q.GetProperty("carriedOut")));
        Assert.Equal(q.GetProperty("energyWh").GetInt64(), q.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("energyWh").GetInt64()));
        Assert.Equal(0, q.GetProperty("energyWh").GetInt64() % 100);
    }

    [Fact]
    public void Quote_of_a_flat_tariff_sells_whole_tenths_of_a_kwh_and_carries_the_change()
    {
        // 2.85/kWh VAT inclusive: 100.00 buys 35.08 kWh, sold as 35.0 kWh for 99.75; 0.25 is carried.
        var (exit, stdout, stderr) = Quote(Sample(TariffSamples.ResidentialFlat), "100.00", json: true);
        Assert.True(exit == 0, stderr);
        var q = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(35_000, q.GetProperty("energyWh").GetInt64());
        Assert.Equal("0.25", q.GetProperty("carriedOut").GetString());

        var smart = JsonDocument.Parse(Quote(Sample(TariffSamples.ResidentialFlat), "100.00", resolution: "1", json: true).Out).RootElement;
        Assert.Equal(35_087, smart.GetProperty("energyWh").GetInt64());
    }

    [Fact]
    public void Quote_uses_the_clock_when_no_instant_is_given()
    {
        var (_, stdout, _) = Quote(Sample(TariffSamples.ResidentialFlat), "10.00", json: true);
        Assert.Equal(InstantPattern(_clock.GetCurrentInstant()), JsonDocument.Parse(stdout).RootElement.GetProperty("at").GetString());
    }

    private static string InstantPattern(Instant i) => NodaTime.Text.InstantPattern.General.Format(i);

    [Fact]
    public void Energy_already_bought_this_month_moves_the_purchase_into_dearer_blocks()
    {
        var path = Sample(TariffSamples.ResidentialBlocks);
        var first = JsonDocument.Parse(Quote(path, "100.00", monthKwh: "0", json: true).Out).RootElement.GetProperty("energyWh").GetInt64();
        var later = JsonDocument.Parse(Quote(path, "100.00", monthKwh: "700", json: true).Out).RootElement.GetProperty("energyWh").GetInt64();
        Assert.True(later < first, $"{later} Wh after 700 kWh is not less than {first} Wh at the start of the month");
    }

    [Fact]
    public void Quote_as_a_table_names_the_tariff_and_the_energy()
    {
        var (exit, stdout, _) = Quote(Sample(TariffSamples.ResidentialFlat), "100.00");
        Assert.Equal(0, exit);
        Assert.Contains("RES-FLAT v1", stdout, StringComparison.Ordinal);
        Assert.Contains("35.000 kWh", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_of_every_sample_reports_it_valid_with_code_version_and_zone()
    {
        foreach (var name in TariffSamples.Names)
        {
            var doc = TariffSamples.Load(name);
            var (exit, stdout, stderr) = Check(Sample(name));
            Assert.True(exit == 0, stderr);
            Assert.StartsWith($"{doc.Code} v{doc.Version} (", stdout, StringComparison.Ordinal);
            Assert.Contains("is valid: ZAR, Africa/Johannesburg, from 2026-07-01", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_of_a_document_with_blocks_out_of_order_names_the_field_on_one_line()
    {
        var json = TariffSamples.Json(TariffSamples.ResidentialBlocks).Replace("\"uptoKwh\": 350", "\"uptoKwh\": 40", StringComparison.Ordinal);
        var (exit, stdout, stderr) = Check(Write("bad.json", json));
        OneLineError.Check(exit, stdout, stderr);
        Assert.Contains("energy.blocks[1].uptoKwh", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("does-not-exist.json")]
    public void Check_without_a_readable_file_exits_2_with_one_line(string? path)
    {
        var (exit, stdout, stderr) = Check(path is { Length: > 0 } ? Path.Combine(Path.GetTempPath(), "prepay-cli-tests", "missing", path) : path);
        OneLineError.Check(exit, stdout, stderr);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_of_malformed_json_exits_2_with_one_line()
    {
        var (exit, stdout, stderr) = Check(Write("broken.json", "{ \"code\": \"X\",\n  \"version\": "));
        OneLineError.Check(exit, stdout, stderr);
    }

    [Theory]
    [InlineData(null, null, null, null)]
    [InlineData("", null, null, null)]
    [InlineData("-1.00", null, null, null)]
    [InlineData("1.005", null, null, null)]
    [InlineData("ten", null, null, null)]
    [InlineData("10.00", "yesterday", null, null)]
    [InlineData("10.00", "2026-08-10T08:00:00+02:00", null, null)]
    [InlineData("10.00", "2026-06-30T12:00:00Z", null, null)]
    [InlineData("10.00", null, "-5", null)]
    [InlineData("10.00", null, "1.5", null)]
    [InlineData("10.00", null, "99999999999", null)]
    [InlineData("10.00", null, null, "0")]
    [InlineData("10.00", null, null, "x")]
    public void Quote_with_bad_input_exits_2_with_one_line(string? amount, string? at, string? monthKwh, string? resolution)
    {
        var (exit, stdout, stderr) = Quote(Sample(TariffSamples.ResidentialBlocks), amount, at, monthKwh, resolution);
        OneLineError.Check(exit, stdout, stderr);
        Assert.StartsWith("error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_without_a_tariff_exits_2_with_one_line()
    {
        var (exit, stdout, stderr) = Quote(null, "10.00");
        OneLineError.Check(exit, stdout, stderr);
        Assert.Contains("--tariff", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_multi_line_error_message_is_folded_onto_one_line()
    {
        var path = Write("multi\nline.json", "{}");
        var (exit, stdout, stderr) = Check(path);
        OneLineError.Check(exit, stdout, stderr);
    }
}
