using System.Text.Json;
using Prepay.MeterLink.Mqtt;
using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Link = Prepay.MeterLink.Commands;

namespace Prepay.Simulator.Agents;

/// <summary>A protocol command (docs/mqtt.md) as the virtual meter's command; null for a type the meter does not take.</summary>
public static class CommandTranslation
{
    public static MeterCommand? ToMeterCommand(CommandMessage message, long id, CreditPolicy current) => message.Type switch
    {
        CommandTypes.AddCredit => new AddCredit(id, Long(message.Args, "energyWh") ?? 0),
        CommandTypes.Connect => new Connect(id),
        CommandTypes.Disconnect => new Disconnect(id),
        CommandTypes.ReadNow => new ReadNow(id),
        CommandTypes.SetThresholds => new SetThresholds(id, Long(message.Args, "lowCreditWh") ?? current.LowCreditWh, Long(message.Args, "emergencyCreditWh") ?? current.EmergencyCreditWh),
        CommandTypes.SetCreditPolicy => CreditPolicy(message, id),
        CommandTypes.ShowBalance => Balance(message, id),
        CommandTypes.SetCreditMode => Mode(message, id),
        _ => null,
    };

    // Read as strictly as the head-end writes it: a balance without its currency or instant is no balance.
    private static ShowBalance? Balance(CommandMessage message, long id) =>
        V1Commands.TryRead(message.Type, message.Args, out var command, out _) && command is Link.ShowBalance b
            ? new ShowBalance(id, b.Balance.Minor, b.Balance.Currency.Code, b.AsOf)
            : null;

    // Read as strictly as the head-end writes it: a meter must not guess when, or with what credit, it takes its credit back.
    private static SetCreditMode? Mode(CommandMessage message, long id) =>
        V1Commands.TryRead(message.Type, message.Args, out var command, out _) && command is Link.SetCreditMode m
            ? new SetCreditMode(id, m.Mode == Link.CreditMode.Central ? CreditMode.Central : CreditMode.Meter, m.From, m.Credit.WattHours)
            : null;

    // Read as strictly as the head-end writes it (V1Commands): the meter takes the whole policy or nothing.
    private static SetCreditPolicy? CreditPolicy(CommandMessage message, long id) =>
        V1Commands.TryRead(message.Type, message.Args, out var command, out _) && command is Link.SetCreditPolicy p
            ? new SetCreditPolicy(id, p.PolicyCode, p.PolicyVersion, [.. p.FriendlyHours.Select(w => new WeeklyFriendlyWindow(w.Day, w.Start, w.Minutes))], p.Holidays, p.Protected)
            : null;

    /// <summary>Why <see cref="ToMeterCommand"/> gave no command: what is wrong with its arguments, or that the meter does not take the type.</summary>
    public static string WhyNot(CommandMessage message) =>
        message.Type is CommandTypes.SetCreditPolicy or CommandTypes.ShowBalance or CommandTypes.SetCreditMode && !V1Commands.TryRead(message.Type, message.Args, out _, out var error)
            ? error ?? $"{message.Type} has no such arguments"
            : $"unsupported command type '{message.Type}'";

    public static string? String(JsonElement? args, string name) =>
        args is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static IReadOnlyList<string>? Strings(JsonElement? args, string name) =>
        args is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : null;

    private static long? Long(JsonElement? args, string name) =>
        args is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
