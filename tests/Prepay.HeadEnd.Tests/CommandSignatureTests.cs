using System.Text.Json;
using System.Text.RegularExpressions;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Tests;

/// <summary>The bytes a command's MAC covers (docs/mqtt.md, Signed commands), held to the document's worked example.</summary>
public sealed partial class CommandSignatureTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 23, 8, 20, 0, TimeSpan.Zero);

    private static CommandMessage Command(string argsJson = """{"energyWh": 10000}""") =>
        new(Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e00"), CommandTypes.AddCredit, JsonDocument.Parse(argsJson).RootElement.Clone(),
            Issued, Issued.AddDays(7), Seq: 42);

    [Fact]
    public void The_worked_example_in_the_protocol_document_is_what_the_code_signs()
    {
        var (fields, json) = DocumentExample();
        var keys = new CommandKeys(fields["master secret"]);
        var meter = fields["meter number"];
        Assert.Equal(fields["command key"], Convert.ToHexStringLower(keys.KeyFor(meter)));

        var command = JsonSerializer.Deserialize<CommandMessage>(json, ProtocolJson.Options)!;
        string[] layout = ["label", "meter", "command id", "seq", "type", "args", "issued at", "expires at"];
        var bytes = CommandSignature.Bytes(meter, command)!;
        Assert.Equal(string.Concat(layout.Select(f => fields[f])), Convert.ToHexStringLower(bytes));
        Assert.Equal(fields["mac (hex)"], Convert.ToHexStringLower(Convert.FromBase64String(ToBase64(command.Mac!))));
        Assert.Equal(fields["mac"], command.Mac);
        Assert.Equal(command.Mac, CommandSignature.Mac(keys.KeyFor(meter), bytes));
        Assert.Equal(command, CommandSignature.Seal(keys.KeyFor(meter), meter, command with { Mac = null }));
    }

    [Fact]
    public void Member_order_and_spacing_of_the_arguments_do_not_change_the_signed_bytes()
    {
        var a = CommandSignature.Bytes("04000000001", Command("""{"lowCreditWh": 5000, "emergencyCreditWh": 2000}"""));
        var b = CommandSignature.Bytes("04000000001", Command("""{ "emergencyCreditWh":2000,"lowCreditWh":5000 }"""));
        Assert.Equal(a, b);
        Assert.Equal(CommandSignature.Bytes("04000000001", Command("{}")), CommandSignature.Bytes("04000000001", Command("null")));
    }

    [Fact]
    public void Every_field_is_covered_so_changing_any_one_changes_the_bytes()
    {
        var original = Command();
        var bytes = CommandSignature.Bytes("04000000001", original)!;
        CommandMessage[] changed =
        [
            original with { CommandId = Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e01") },
            original with { Seq = 43 },
            original with { Type = CommandTypes.Disconnect },
            original with { Args = JsonDocument.Parse("""{"energyWh": 100000}""").RootElement },
            original with { Args = JsonDocument.Parse("""{"energyWh": "10000"}""").RootElement },
            original with { Args = JsonDocument.Parse("""{"energyWh": 10000, "x": 1}""").RootElement },
            original with { IssuedAt = Issued.AddMilliseconds(1) },
            original with { ExpiresAt = original.ExpiresAt.AddDays(30) },
        ];
        foreach (var c in changed)
        {
            Assert.NotEqual(bytes, CommandSignature.Bytes("04000000001", c));
        }
        Assert.NotEqual(bytes, CommandSignature.Bytes("04000000002", original));
        // Length prefixes: moving a character from one field to the next is a different message.
        Assert.NotEqual(CommandSignature.Bytes("0400000000", original with { Type = "1addCredit" }), bytes);
    }

    [Theory]
    [InlineData("""{"energyWh": 1.5}""")]
    [InlineData("""{"energyWh": true}""")]
    [InlineData("""{"energyWh": null}""")]
    [InlineData("""{"nested": {"energyWh": 1}}""")]
    [InlineData("""{"tokens": ["1234", 5]}""")]
    [InlineData("""{"energyWh": 1, "energyWh": 2}""")]
    [InlineData("""[1, 2]""")]
    [InlineData("""{"energyWh": 99999999999999999999}""")]
    public void Arguments_without_a_canonical_form_cannot_be_signed(string args)
    {
        Assert.Null(CommandSignature.Bytes("04000000001", Command(args)));
        Assert.False(CommandSignature.CanSign(JsonDocument.Parse(args).RootElement));
        Assert.Null(CommandSignature.Seal(new byte[32], "04000000001", Command(args)));
    }

    [Fact]
    public void Per_meter_keys_differ_between_meters_and_secrets()
    {
        var keys = new CommandKeys("one secret");
        Assert.Equal(32, keys.KeyFor("04000000001").Length);
        Assert.NotEqual(keys.KeyFor("04000000001"), keys.KeyFor("04000000002"));
        Assert.NotEqual(keys.KeyFor("04000000001"), new CommandKeys("another secret").KeyFor("04000000001"));
    }

    private static string ToBase64(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - s.Length % 4) % 4);
    }

    // The example's text block (lines "name  value") and the JSON block after it, from docs/mqtt.md.
    private static (Dictionary<string, string> Fields, string Json) DocumentExample()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "mqtt.md")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        var text = File.ReadAllText(Path.Combine(dir.FullName, "docs", "mqtt.md"));
        var match = ExampleBlocks().Match(text);
        Assert.True(match.Success, "docs/mqtt.md has the signed command example");
        var fields = match.Groups["fields"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => FieldLine().Match(line))
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        return (fields, match.Groups["json"].Value);
    }

    [GeneratedRegex(@"```text\n(?<fields>master secret .*?)```\s*```json\n(?<json>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlocks();

    [GeneratedRegex(@"^(?<name>\S+(?: \S+)*?)\s{2,}(?<value>\S+)$")]
    private static partial Regex FieldLine();
}
