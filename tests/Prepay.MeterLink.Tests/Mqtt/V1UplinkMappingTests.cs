using System.Text;
using System.Text.Json;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.MeterLink.Mqtt;
using Prepay.MeterLink.Uplinks;

namespace Prepay.MeterLink.Tests.Mqtt;

/// <summary>Typed uplinks to MQTT v1 payloads and back (docs/mqtt.md, Payloads): every kind, every field set, through the JSON on the wire.</summary>
public sealed class V1UplinkMappingTests
{
    private static readonly Instant At = Instant.FromUtc(2026, 11, 23, 8, 15);

    public static TheoryData<MeterUplink, string> Uplinks => new()
    {
        { new IntervalReadings([new MeterReading(At, new Energy(1_250_400), new Energy(250), new Energy(40_000), 2300, 1100, 253),
            new MeterReading(At + Duration.FromMinutes(15), new Energy(1_250_650), new Energy(250), new Energy(39_750), 2290, 1000, 240)]), Topics.Readings },
        { new MeterEvents([new MeterEvent(At, "lowCredit", "credit 4.0 kWh"), new MeterEvent(At, "relayClosed", null)]), Topics.Events },
        { new CommandAcknowledgement(Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e00"), AcknowledgementResult.Applied, null, At), Topics.Acks },
        { new CommandAcknowledgement(Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e00"), AcknowledgementResult.Duplicate, "first arrival was not applied", At), Topics.Acks },
        { new CommandAcknowledgement(Guid.Parse("01937a5c-6f5e-7d1c-9c1e-2a7b4c1d9e00"), AcknowledgementResult.Rejected, "relay-fault: contacts welded", At), Topics.Acks },
        { new MeterStatus(true, "connected", new Energy(40_000), new Energy(1_250_400), At, 2), Topics.Status },
        { new MeterStatus(false, null, null, null, null, null), Topics.Status },
        { new MeterStatus(true, "connected", null, new Energy(1_250_400), At, null) { DisplayedBalance = new(new Money(-1_250, Currency.ZAR), At - Duration.FromMinutes(3)) }, Topics.Status },
    };

    [Theory]
    [MemberData(nameof(Uplinks))]
    public void Every_uplink_v1_carries_reads_back_the_same_from_its_topic(MeterUplink uplink, string kind)
    {
        Assert.True(V1Uplinks.TryWrite(uplink, out var written, out var payload));
        Assert.Equal(kind, written);
        var wire = JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), ProtocolJson.Options);
        Assert.Equal(uplink, V1Uplinks.Read(kind, wire));
    }

    [Fact]
    public void A_status_reads_as_the_document_writes_it()
    {
        var status = V1Uplinks.Read(Topics.Status, Encoding.UTF8.GetBytes("""{ "online": true, "relay": "connected", "creditWh": 40000, "energyWh": 1250400, "at": "2026-11-23T08:15:00Z" }"""));
        Assert.Equal(new MeterStatus(true, "connected", new Energy(40_000), new Energy(1_250_400), At, null), status);
    }

    [Fact]
    public void A_status_from_a_meter_that_displays_no_balance_still_reads_and_one_that_does_says_all_of_it()
    {
        var old = V1Uplinks.Read(Topics.Status, Encoding.UTF8.GetBytes("""{ "online": true, "relay": "connected", "creditWh": 40000 }"""));
        Assert.Null(Assert.IsType<MeterStatus>(old).DisplayedBalance);

        var shown = V1Uplinks.Read(Topics.Status, Encoding.UTF8.GetBytes("""{ "online": true, "balanceMinor": 12345, "balanceCurrency": "ZAR", "balanceAt": "2026-11-23T08:15:00Z" }"""));
        Assert.Equal(new DisplayedBalance(new Money(12_345, Currency.ZAR), At), Assert.IsType<MeterStatus>(shown).DisplayedBalance);

        // Part of a balance, or one in no known currency, is not what the protocol says.
        foreach (var partial in new[] { """{"online":true,"balanceMinor":1}""", """{"online":true,"balanceMinor":1,"balanceCurrency":"ZAR"}""",
            """{"online":true,"balanceMinor":1,"balanceCurrency":"XXQ","balanceAt":"2026-11-23T08:15:00Z"}""" })
        {
            Assert.Equal("out-of-schema", Assert.Throws<V1PayloadException>(() => V1Uplinks.Read(Topics.Status, Encoding.UTF8.GetBytes(partial))).Message);
        }
    }

    [Fact]
    public void Instantaneous_values_have_no_v1_message_of_their_own()
    {
        Assert.False(V1Uplinks.TryWrite(new InstantaneousValues(At, 2300, 1100, 253), out _, out _));
    }

    [Theory]
    [InlineData("rejected", "relay-fault", false)]
    [InlineData("rejected", null, false)]
    [InlineData("rejected", "token-used", true)]
    [InlineData("applied", null, true)]
    [InlineData("duplicate", null, true)]
    public void A_rejection_fails_its_command_unless_the_keypad_took_the_tokens_first(string result, string? reason, bool succeeded)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new AckMessage(Guid.NewGuid(), result, reason, At.ToDateTimeOffset()), ProtocolJson.Options);
        var ack = Assert.IsType<CommandAcknowledgement>(V1Uplinks.Read(Topics.Acks, json));
        Assert.Equal(succeeded, ack.Succeeded);
    }

    [Theory]
    [InlineData(Topics.Acks, """{"commandId":"00000000-0000-0000-0000-000000000001","result":"maybe","at":"2026-11-23T00:15:00Z"}""", "out-of-schema")]
    [InlineData(Topics.Readings, """{"readings":null}""", "out-of-schema")]
    [InlineData(Topics.Events, """{"events":[null]}""", "out-of-schema")]
    [InlineData(Topics.Status, "null", "empty")]
    [InlineData("commands", "{}", "unknown-topic")]
    public void Json_that_is_not_what_the_protocol_says_is_refused_by_name(string kind, string payload, string reason)
    {
        var e = Assert.Throws<V1PayloadException>(() => V1Uplinks.Read(kind, Encoding.UTF8.GetBytes(payload)));
        Assert.Equal(reason, e.Message);
    }

    [Fact]
    public void What_is_not_json_of_the_kinds_shape_throws_the_json_readers_exception()
    {
        Assert.ThrowsAny<JsonException>(() => V1Uplinks.Read(Topics.Status, Encoding.UTF8.GetBytes("""{"online":true,"extra":1}""")));
        Assert.ThrowsAny<JsonException>(() => V1Uplinks.Read(Topics.Readings, Encoding.UTF8.GetBytes("{")));
    }
}
