using System.Text.Json;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
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
        {
            new SetCreditPolicy("IN-UPPCL", 1,
                [new WeeklyWindow(IsoDayOfWeek.Monday, new LocalTime(18, 0), 840), new WeeklyWindow(IsoDayOfWeek.Saturday, LocalTime.Midnight, 2880)],
                [new LocalDate(2027, 1, 26), new LocalDate(2027, 8, 15)], Protected: true),
            "setCreditPolicy",
            """{"policy":"IN-UPPCL","version":1,"friendlyHours":["monday 18:00 840","saturday 00:00 2880"],"holidays":["2027-01-26","2027-08-15"],"protected":1}"""
        },
        { new SetCreditPolicy("ZA-NERSA", 0, [], [], Protected: false), "setCreditPolicy", """{"policy":"ZA-NERSA","version":0,"friendlyHours":[],"holidays":[],"protected":0}""" },
        { new ShowBalance(new Money(123_456, Currency.ZAR), Instant.FromUtc(2026, 11, 23, 8, 15, 30) + Duration.FromMilliseconds(250)), "showBalance", """{"balanceMinor":123456,"currency":"ZAR","asOf":"2026-11-23T08:15:30.25Z"}""" },
        { new ShowBalance(new Money(-1_250, Currency.FromCode("KWD")), Issued), "showBalance", """{"balanceMinor":-1250,"currency":"KWD","asOf":"2026-11-23T08:20:00Z"}""" },
        { new SetCreditMode(CreditMode.Central, Instant.FromUtc(2026, 11, 23, 8, 30), Energy.Zero), "setCreditMode", """{"mode":"central","from":"2026-11-23T08:30:00Z","creditWh":0}""" },
        { new SetCreditMode(CreditMode.Meter, Issued + Duration.FromMilliseconds(500), new Energy(12_345)), "setCreditMode", """{"mode":"meter","from":"2026-11-23T08:20:00.5Z","creditWh":12345}""" },
        { new SetCreditMode(CreditMode.Meter, Issued, Energy.Zero), "setCreditMode", """{"mode":"meter","from":"2026-11-23T08:20:00Z","creditWh":0}""" },
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
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["funday 18:00 60"],"holidays":[],"protected":0}""", "args.friendlyHours[0] has no day 'funday' (monday to sunday, in lower case)")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["Monday 18:00 60"],"holidays":[],"protected":0}""", "args.friendlyHours[0] has no day 'Monday' (monday to sunday, in lower case)")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["monday 18:00 60","monday 18:00 0"],"holidays":[],"protected":0}""", "args.friendlyHours[1] must last 1 to 2880 minutes, not '0'")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["monday 18:00 2881"],"holidays":[],"protected":0}""", "args.friendlyHours[0] must last 1 to 2880 minutes, not '2881'")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["monday 18:00 -5"],"holidays":[],"protected":0}""", "args.friendlyHours[0] must last 1 to 2880 minutes, not '-5'")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["monday 24:00 60"],"holidays":[],"protected":0}""", "args.friendlyHours[0] has no time '24:00' (HH:mm, 00:00 to 23:59)")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":["monday 18:00"],"holidays":[],"protected":0}""", "args.friendlyHours[0] must be \"day HH:mm minutes\", as \"monday 18:00 840\"")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[{"day":"monday","start":"18:00","minutes":840}],"holidays":[],"protected":0}""", "args.friendlyHours must be a list of strings")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":["2027-02-30"],"protected":0}""", "args.holidays[0] must be a date (yyyy-MM-dd), not '2027-02-30'")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":["26/01/2027"],"protected":0}""", "args.holidays[0] must be a date (yyyy-MM-dd), not '26/01/2027'")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":[],"protected":true}""", "args.protected must be an integer")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":[],"protected":2}""", "args.protected must be 0 or 1")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":[]}""", "args.protected is required")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"protected":0}""", "args.holidays must be a list of strings")]
    [InlineData("setCreditPolicy", """{"policy":"","version":1,"friendlyHours":[],"holidays":[],"protected":0}""", "args.policy must not be empty")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":-1,"friendlyHours":[],"holidays":[],"protected":0}""", "args.version must be 0 to 2147483647")]
    [InlineData("setCreditPolicy", """{"policy":"P","version":1,"friendlyHours":[],"holidays":[],"protected":0,"debtLimitWh":5}""", "args has no member 'debtLimitWh'")]
    [InlineData("showBalance", """{"balanceMinor":100,"currency":"ZAR"}""", "args.asOf must be a string")]
    [InlineData("showBalance", """{"balanceMinor":1.5,"currency":"ZAR","asOf":"2026-11-23T08:20:00Z"}""", "args.balanceMinor must be an integer")]
    [InlineData("showBalance", """{"currency":"ZAR","asOf":"2026-11-23T08:20:00Z"}""", "args.balanceMinor is required")]
    [InlineData("showBalance", """{"balanceMinor":100,"currency":"RAND","asOf":"2026-11-23T08:20:00Z"}""", "args.currency 'RAND' is not a known ISO 4217 code")]
    [InlineData("showBalance", """{"balanceMinor":100,"currency":"ZAR","asOf":"23/11/2026"}""", "args.asOf must be an instant (yyyy-MM-ddTHH:mm:ss.FFFFFFFFFZ), not '23/11/2026'")]
    [InlineData("showBalance", """{"balanceMinor":100,"currency":"ZAR","asOf":"2026-11-23T08:20:00Z","creditWh":5}""", "args has no member 'creditWh'")]
    [InlineData("setCreditMode", """{"mode":"central","from":"2026-11-23T08:30:00Z","creditWh":1}""", "args.creditWh must be 0 for central and at least 0 for meter")]
    [InlineData("setCreditMode", """{"mode":"meter","from":"2026-11-23T08:30:00Z","creditWh":-5}""", "args.creditWh must be 0 for central and at least 0 for meter")]
    [InlineData("setCreditMode", """{"mode":"meter","from":"2026-11-23T08:30:00Z"}""", "args.creditWh is required")]
    [InlineData("setCreditMode", """{"mode":"meter","from":"2026-11-23T08:30:00Z","creditWh":"5"}""", "args.creditWh must be an integer")]
    [InlineData("setCreditMode", """{"mode":"Central","from":"2026-11-23T08:30:00Z","creditWh":0}""", "args.mode must be meter or central, not 'Central'")]
    [InlineData("setCreditMode", """{"from":"2026-11-23T08:30:00Z","creditWh":0}""", "args.mode must be a string")]
    [InlineData("setCreditMode", """{"mode":"central","from":"2026-11-23 08:30","creditWh":0}""", "args.from must be an instant (yyyy-MM-ddTHH:mm:ss.FFFFFFFFFZ), not '2026-11-23 08:30'")]
    [InlineData("setCreditMode", """{"mode":"central","from":"2026-11-23T08:30:00Z","creditWh":0,"tariff":"X"}""", "args has no member 'tariff'")]
    public void Arguments_that_are_not_what_the_document_says_are_refused_saying_what_is_wrong(string type, string args, string error)
    {
        Assert.False(V1Commands.TryRead(type, Json(args), out var command, out var why));
        Assert.Null(command);
        Assert.Equal(error, why);
    }

    [Theory]
    [InlineData("friendlyHours", 56, true, "")]
    [InlineData("friendlyHours", 57, false, "args.friendlyHours has more than 56 windows")]
    [InlineData("holidays", 400, true, "")]
    [InlineData("holidays", 401, false, "args.holidays has more than 400 dates")]
    public void A_credit_policy_carries_at_most_56_windows_and_400_holidays(string member, int count, bool read, string error)
    {
        var windows = member == "friendlyHours" ? Enumerable.Repeat("monday 18:00 60", count) : [];
        var dates = member == "holidays" ? Enumerable.Range(0, count).Select(d => new LocalDate(2027, 1, 1).PlusDays(d).ToString("yyyy-MM-dd", null)) : [];
        var args = JsonSerializer.Serialize(new { policy = "P", version = 1, friendlyHours = windows, holidays = dates, @protected = 0 });

        Assert.Equal(read, V1Commands.TryRead("setCreditPolicy", Json(args), out var command, out var why));
        Assert.Equal(read ? null : error, why);
        Assert.Equal(read, command is SetCreditPolicy);
    }

    [Fact]
    public void A_credit_policy_v1_cannot_carry_exactly_has_no_v1_form()
    {
        WeeklyWindow[] evening = [new(IsoDayOfWeek.Monday, new LocalTime(18, 0), 60)];
        Assert.True(V1Commands.TryWrite(new SetCreditPolicy("P", 1, evening, [], false), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditPolicy("P", 1, [new(IsoDayOfWeek.Monday, new LocalTime(18, 0, 30), 60)], [], false), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditPolicy("P", 1, [new(IsoDayOfWeek.Monday, new LocalTime(18, 0), 2881)], [], false), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditPolicy("P", 1, [new(IsoDayOfWeek.None, new LocalTime(18, 0), 60)], [], false), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditPolicy("", 1, evening, [], false), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditPolicy("P", 1, [.. Enumerable.Repeat(evening[0], 57)], [], false), out _, out _));
    }

    [Fact]
    public void A_credit_mode_v1_would_be_refused_for_has_no_v1_form()
    {
        Assert.False(V1Commands.TryWrite(new SetCreditMode(CreditMode.Central, Issued, new Energy(1)), out _, out _));
        Assert.False(V1Commands.TryWrite(new SetCreditMode(CreditMode.Meter, Issued, new Energy(-1)), out _, out _));
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
