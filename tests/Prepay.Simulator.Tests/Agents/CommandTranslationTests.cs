using System.Text.Json;
using NodaTime;
using Prepay.Meter.Credit;
using Prepay.MeterLink.Mqtt;
using Prepay.Simulator.Agents;
using Link = Prepay.MeterLink.Commands;
using MeterCommands = Prepay.Meter.Commands;

namespace Prepay.Simulator.Tests.Agents;

/// <summary>Protocol commands as the virtual meter's own: the credit policy whole, or nothing with what is wrong.</summary>
public sealed class CommandTranslationTests
{
    private static readonly DateTimeOffset Issued = new(2026, 11, 23, 8, 20, 0, TimeSpan.Zero);

    [Fact]
    public void A_credit_policy_becomes_the_meters_own_with_every_window_holiday_and_the_protection()
    {
        var pushed = new Link.SetCreditPolicy("IN-UPPCL", 2,
            [new(IsoDayOfWeek.Monday, new LocalTime(18, 0), 840), new(IsoDayOfWeek.Sunday, LocalTime.Midnight, 1440)], [new LocalDate(2027, 1, 26)], Protected: true);
        Assert.True(V1Commands.TryWrite(pushed, out var type, out var args));

        var command = CommandTranslation.ToMeterCommand(Message(type, JsonSerializer.SerializeToElement(args)), 17, new CreditPolicy());

        var policy = Assert.IsType<MeterCommands.SetCreditPolicy>(command);
        Assert.Equal((17L, "IN-UPPCL", 2, true), (policy.CommandId, policy.PolicyCode, policy.PolicyVersion, policy.Protected));
        Assert.Equal([new WeeklyFriendlyWindow(IsoDayOfWeek.Monday, new LocalTime(18, 0), 840), new WeeklyFriendlyWindow(IsoDayOfWeek.Sunday, LocalTime.Midnight, 1440)],
            policy.FriendlyHours);
        Assert.Equal([new LocalDate(2027, 1, 26)], policy.Holidays);
    }

    [Fact]
    public void A_broken_credit_policy_is_no_command_and_the_refusal_says_what_is_wrong()
    {
        var message = Message(CommandTypes.SetCreditPolicy, JsonDocument.Parse(
            """{"policy":"P","version":1,"friendlyHours":["monday 18:00 3000"],"holidays":[],"protected":0}""").RootElement.Clone());

        Assert.Null(CommandTranslation.ToMeterCommand(message, 1, new CreditPolicy()));
        Assert.Equal("args.friendlyHours[0] must last 1 to 2880 minutes, not '3000'", CommandTranslation.WhyNot(message));
        Assert.Equal("unsupported command type 'setTariff'", CommandTranslation.WhyNot(Message(CommandTypes.SetTariff, null)));
    }

    [Fact]
    public void A_balance_to_show_becomes_the_meters_own_and_a_broken_one_is_refused_saying_what_is_wrong()
    {
        var asOf = Instant.FromUtc(2026, 11, 23, 8, 15);
        Assert.True(V1Commands.TryWrite(new Link.ShowBalance(new Prepay.Domain.Money.Money(-1_250, Prepay.Domain.Money.Currency.ZAR), asOf), out var type, out var args));

        var command = CommandTranslation.ToMeterCommand(Message(type, JsonSerializer.SerializeToElement(args)), 9, new CreditPolicy());

        Assert.Equal(new MeterCommands.ShowBalance(9, -1_250, "ZAR", asOf), command);
        var broken = Message(CommandTypes.ShowBalance, JsonDocument.Parse("""{"balanceMinor":1,"currency":"ZAR"}""").RootElement.Clone());
        Assert.Null(CommandTranslation.ToMeterCommand(broken, 10, new CreditPolicy()));
        Assert.Equal("args.asOf must be a string", CommandTranslation.WhyNot(broken));
    }

    [Theory]
    [InlineData(Link.CreditMode.Central, 0, CreditMode.Central)]
    [InlineData(Link.CreditMode.Meter, 2_500, CreditMode.Meter)]
    public void A_credit_mode_becomes_the_meters_own_with_its_instant_and_credit(Link.CreditMode mode, long creditWh, CreditMode expected)
    {
        var from = Instant.FromUtc(2026, 11, 23, 8, 30);
        Assert.True(V1Commands.TryWrite(new Link.SetCreditMode(mode, from, new Prepay.Domain.Energy.Energy(creditWh)), out var type, out var args));

        var command = CommandTranslation.ToMeterCommand(Message(type, JsonSerializer.SerializeToElement(args)), 11, new CreditPolicy());

        Assert.Equal(new MeterCommands.SetCreditMode(11, expected, from, creditWh), command);
    }

    [Theory]
    [InlineData("""{"mode":"central","from":"2026-11-23T08:30:00Z","creditWh":100}""", "args.creditWh must be 0 for central and at least 0 for meter")]
    [InlineData("""{"mode":"meter","from":"2026-11-23T08:30:00Z","creditWh":-1}""", "args.creditWh must be 0 for central and at least 0 for meter")]
    [InlineData("""{"mode":"server","from":"2026-11-23T08:30:00Z","creditWh":0}""", "args.mode must be meter or central, not 'server'")]
    [InlineData("""{"mode":"central","from":"23 Nov","creditWh":0}""", "args.from must be an instant (yyyy-MM-ddTHH:mm:ss.FFFFFFFFFZ), not '23 Nov'")]
    [InlineData("""{"mode":"central","creditWh":0}""", "args.from must be a string")]
    public void A_broken_credit_mode_is_no_command_and_the_refusal_says_what_is_wrong(string args, string error)
    {
        var message = Message(CommandTypes.SetCreditMode, JsonDocument.Parse(args).RootElement.Clone());

        Assert.Null(CommandTranslation.ToMeterCommand(message, 12, new CreditPolicy()));
        Assert.Equal(error, CommandTranslation.WhyNot(message));
    }

    private static CommandMessage Message(string type, JsonElement? args) => new(Guid.NewGuid(), type, args, Issued, Issued.AddDays(1), 1);
}
