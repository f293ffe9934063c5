using System.Text.Json;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;

namespace Prepay.MeterLink.Tests.Mqtt;

/// <summary>Typed commands to MQTT v1 and back (docs/mqtt.md, Command): every command, every field set, through the JSON on the wire.</summary>
public sealed class V1CommandMappingTests
{
    private static readonly Instant Issued = Instant.FromUtc(2026, 11, 23, 8, 20);

    public static TheoryData<MeterCommand, string, string> Commands => new()
    {
        { new AddCredit(new Energy(10_000)), "addCredit", """{"energyWh":10000}""" },
        { new DeliverToken(["12345678901234567890", "09876543210987654321"]), "deliverToken", """{"tokens":["12345678901234567890","09876543210987654321"]}""" },
        { new Connect(), "connect", "{}" },
        { new Disconnect(), "disconnect", "{}" },
        { new ReadNow(), "readNow", "{}" },
        { new SetThresholds(new Energy(5_000), new Energy(2_000)), "setThresholds", """{"lowCreditWh":5000,"emergencyCreditWh":2000}""" },
        { new SetThresholds(new Energy(5_000), null), "setThresholds", """{"lowCreditWh":5000}""" },
        { new SetTariff("RES-IBT", 3), "setTariff", """{"tariffCode":"RES-IBT","version":3}""" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_v1_carries_goes_out_as_the_document_shows_and_reads_back_the_same(MeterCommand command, string type, string args)
    {
        var envelope = new CommandEnvelope(Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e00"), 42, Issued, Issued + Duration.FromDays(7), command);

        var message = V1Commands.ToMessage(envelope)!;
        Assert.Equal(type, message.Type);
        Assert.Equal(args, JsonSerializer.Serialize(message.Args, ProtocolJson.Options));

        var sealedMessage = CommandSignature.Seal(new byte[32], "04000000001", message);
        Assert.NotNull(sealedMessage); // every typed command has signed bytes
        var wire = JsonSerializer.SerializeToUtf8Bytes(sealedMessage, ProtocolJson.Options);
        var read = JsonSerializer.Deserialize<CommandMessage>(wire, ProtocolJson.Options)!;
        Assert.Equal(envelope, V1Commands.FromMessage(read, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Setting_the_clock_has_no_v1_form()
    {
        Assert.False(V1Commands.TryWrite(new SetClock(Issued), out _, out _));
        Assert.Null(V1Commands.ToMessage(new CommandEnvelope(Guid.NewGuid(), 1, Issued, Issued + Duration.FromDays(1), new SetClock(Issued))));
    }

    [Fact]
    public void A_single_token_as_v1_also_allows_it_reads_as_a_one_token_delivery()
    {
        Assert.True(V1Commands.TryRead("deliverToken", Json("""{"token":"12345678901234567890"}"""), out var command, out _));
        Assert.Equal(new DeliverToken(["12345678901234567890"]), command);
    }

    [Theory]
    [InlineData("addCredit", """{"energyWh":1.5}""", "args.energyWh must be an integer")]
    [InlineData("addCredit", """{"energyWh":0}""", "args.energyWh must be above 0")]
    [InlineData("addCredit", "{}", "args.energyWh is required")]
    [InlineData("disconnect", """{"at":1}""", "args has no member 'at'")]
    [InlineData("setThresholds", """{"lowCreditWh":"5000"}""", "args.lowCreditWh must be an integer")]
    [InlineData("setTariff", """{"tariffCode":7,"version":3}""", "args.tariffCode must be a string")]
    [InlineData("deliverToken", """{"tokens":[1]}""", "args must hold tokens (a list of strings) or token (a string)")]
    [InlineData("deliverToken", """{"tokens":["1"],"token":"2"}""", "args must hold tokens (a list of strings) or token (a string)")]
    [InlineData("readNow", "[]", "args must be an object")]
    [InlineData("reboot", "{}", "unknown command type 'reboot'")]
    public void Arguments_that_are_not_what_the_document_says_are_refused_saying_what_is_wrong(string type, string args, string error)
    {
        Assert.False(V1Commands.TryRead(type, Json(args), out var command, out var why));
        Assert.Null(command);
        Assert.Equal(error, why);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
