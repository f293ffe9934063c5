using System.Globalization;
using System.Text.RegularExpressions;

namespace Prepay.Cli.Tests.Dlms;

/// <summary><c>prepay bench dlms</c> run as a user runs it, for one second.</summary>
public sealed partial class DlmsBenchTests
{
    [Fact]
    public async Task Prints_every_operation_and_the_three_ratios_against_raw_aes_gcm_measured_in_the_same_run()
    {
        using var bench = new PrepayProcess("bench", "dlms", "--duration", "1");
        Assert.Equal(0, await bench.ExitAsync(TimeSpan.FromSeconds(120)));
        var output = bench.Output;

        foreach (var operation in new[]
        {
            "raw AES-GCM-128 encrypt (BCL)", "raw AES-GCM-128 decrypt (BCL)", "GET.response encode, plain", "GET.response decode, plain",
            "GET.response encode, AES-GCM-128", "GET.response decode, AES-GCM-128", "GET.response rows, plain",
            "GET.response rows, AES-GCM-128",
        })
        {
            Assert.Matches(new Regex($@"(?m)^{Regex.Escape(operation)}\s+[1-9]\d*\s"), output);
        }
        var ratios = Ratio().Matches(output);
        Assert.Equal(3, ratios.Count);
        Assert.All(ratios, m => Assert.InRange(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), 0.001, 10));
        Assert.Contains("ciphered encode APDUs/s ÷ raw AES-GCM encrypts/s", output, StringComparison.Ordinal);
        Assert.Contains("ciphered decode (tree) APDUs/s ÷ raw AES-GCM decrypts/s", output, StringComparison.Ordinal);
        Assert.Contains("ciphered decode (rows) APDUs/s ÷ raw AES-GCM decrypts/s", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"÷ raw AES-GCM \w+/s = (\d+\.\d+) \(target >= 0\.5: (?:met|not met)\)")]
    private static partial Regex Ratio();
}
