using Prepay.Meter.Commands;
using Prepay.Meter.Credit;
using Prepay.Meter.Events;
using Prepay.Meter.Registers;

namespace Prepay.Meter;

/// <summary>Smart mode: remote commands, each id applied at most once, each answered by one acknowledgement.</summary>
public sealed partial class PrepaidMeter
{
    private long _lastRelayCommandId;
    private long _lastThresholdsCommandId;
    private long _lastFriendlyHoursCommandId;
    private long _lastBalanceCommandId = long.MinValue;
    private Display.ShownBalance? _shownBalance;

    /// <summary>
    /// A command from the head-end. Outputs: exactly one <see cref="CommandAck"/> (applied, duplicate or rejected),
    /// plus whatever the command caused. During a power outage the meter hears nothing: no output, nothing
    /// remembered, so the head-end's retry with the same id is applied once power is back.
    /// </summary>
    public IReadOnlyList<MeterOutput> Apply(MeterCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (IsOutage)
        {
            return Flush();
        }

        long id = command.CommandId;
        if (_commands.TryGet(id, out bool wasApplied))
        {
            Emit(new CommandDuplicate(_now, id, wasApplied));
            return Flush();
        }

        if (_commands.IsStale(id))
        {
            Emit(new CommandRejected(_now, id, CommandRejection.Stale, "Older than the remembered command ids."));
            return Flush();
        }

        var ackAt = _outputs.Count;
        var refusal = command switch
        {
            AddCredit c => AddCreditCommand(c),
            Connect c => Newest(ref _lastRelayCommandId, id) ?? ConnectCommand(),
            Disconnect c => Newest(ref _lastRelayCommandId, id) ?? DisconnectCommand(),
            SetThresholds c => Newest(ref _lastThresholdsCommandId, id) ?? SetThresholdsCommand(c),
            SetFriendlyHours c => Newest(ref _lastFriendlyHoursCommandId, id) ?? SetFriendlyHoursCommand(c),
            // It replaces the friendly hours too: one "newest" for both, so a late SetFriendlyHours cannot undo it.
            SetCreditPolicy c => Valid(c) ?? Newest(ref _lastFriendlyHoursCommandId, id) ?? SetCreditPolicyCommand(c),
            ShowBalance c => Valid(c) ?? Newest(ref _lastBalanceCommandId, id) ?? ShowBalanceCommand(c),
            SetCreditMode c => Valid(c) ?? Newest(ref _lastCreditModeCommandId, id) ?? SetCreditModeCommand(c),
            ReadNow => ReadNowCommand(),
            ClearTamper => ClearTamperCommand(),
            _ => (CommandRejection.Invalid, $"Unknown command {command.GetType().Name}."),
        };

        _commands.Remember(id, refusal is null);
        _outputs.Insert(ackAt, refusal is { } r
            ? new CommandRejected(_now, id, r.Reason, r.Detail)
            : new CommandApplied(_now, id, command.GetType().Name));
        Evaluate();
        return Flush();
    }

    // Connect/Disconnect (and each setting) are states, not increments: a late, older command must not undo a newer one.
    private static (CommandRejection Reason, string Detail)? Newest(ref long lastApplied, long id)
    {
        if (id < lastApplied)
        {
            return (CommandRejection.Superseded, $"Command {lastApplied} of the same kind is newer.");
        }

        lastApplied = id;
        return null;
    }

    private (CommandRejection Reason, string Detail)? AddCreditCommand(AddCredit command)
    {
        if (command.Wh <= 0)
        {
            return (CommandRejection.Invalid, "Credit to add must be positive.");
        }

        if (IsCentral)
        {
            return (CommandRejection.Invalid, "Credit is held centrally.");
        }

        _credit.Add(command.Wh);
        return null;
    }

    private (CommandRejection Reason, string Detail)? ConnectCommand()
    {
        if (_relay.Has(DisconnectReasons.Tamper))
        {
            return (CommandRejection.TamperLatched, "Clear the tamper condition first.");
        }

        if (!IsCentral && _credit.CreditWh <= 0 && !MaySupplyWithoutCredit())
        {
            return (CommandRejection.InsufficientCredit, "Credit is at or below zero outside friendly hours.");
        }

        _relay.Release(DisconnectReasons.RemoteCommand | DisconnectReasons.AwaitingButtonPress | DisconnectReasons.Overload | DisconnectReasons.CreditExhausted, _now, _outputs);
        return null;
    }

    private (CommandRejection Reason, string Detail)? DisconnectCommand()
    {
        if (_policy.IsProtected)
        {
            return (CommandRejection.ProtectedCustomer, "Protected customers are never disconnected.");
        }

        _relay.Open(DisconnectReasons.RemoteCommand, _now, _outputs);
        return null;
    }

    private (CommandRejection Reason, string Detail)? SetThresholdsCommand(SetThresholds command)
    {
        if (command.LowCreditWh < 0 || command.EmergencyCreditWh < 0)
        {
            return (CommandRejection.Invalid, "Thresholds are at least 0 Wh.");
        }

        _policy = _policy with { LowCreditWh = command.LowCreditWh, EmergencyCreditWh = command.EmergencyCreditWh };
        return null;
    }

    private (CommandRejection Reason, string Detail)? SetFriendlyHoursCommand(SetFriendlyHours command)
    {
        if (command.Hours is null)
        {
            return (CommandRejection.Invalid, "Friendly hours are required (use FriendlyHours.None).");
        }

        _policy = _policy with { FriendlyHours = command.Hours };
        return null;
    }

    private static (CommandRejection Reason, string Detail)? Valid(SetCreditPolicy command) =>
        command.PolicyCode is not { Length: > 0 } ? (CommandRejection.Invalid, "A credit policy names its policy.")
        : command.FriendlyHours is null || command.Holidays is null ? (CommandRejection.Invalid, "Friendly hours and holidays are required (empty when none).")
        : command.FriendlyHours.Count > SetCreditPolicy.MaxWindows || command.Holidays.Count > SetCreditPolicy.MaxHolidays
            ? (CommandRejection.Invalid, $"At most {SetCreditPolicy.MaxWindows} windows and {SetCreditPolicy.MaxHolidays} holidays.")
        : command.FriendlyHours.Any(w => w is null || w.Day == NodaTime.IsoDayOfWeek.None || w.Minutes is < 1 or > WeeklyFriendlyWindow.MaxMinutes)
            ? (CommandRejection.Invalid, $"Each window has a weekday and lasts 1 to {WeeklyFriendlyWindow.MaxMinutes} minutes.")
        : null;

    // Takes effect at once: Evaluate after the acknowledgement cuts a meter at zero credit the new rules no longer spare.
    private (CommandRejection Reason, string Detail)? SetCreditPolicyCommand(SetCreditPolicy command)
    {
        _policy = _policy with
        {
            FriendlyHours = new FriendlyHours([], [], [.. command.Holidays]) { WeeklyWindows = [.. command.FriendlyHours] },
            IsProtected = command.Protected,
            PolicyCode = command.PolicyCode,
            PolicyVersion = command.PolicyVersion,
        };
        return null;
    }

    private static (CommandRejection Reason, string Detail)? Valid(ShowBalance command) =>
        command.Currency is not { Length: 3 } || !command.Currency.All(char.IsAsciiLetterUpper)
            ? (CommandRejection.Invalid, "A balance names its currency (ISO 4217, three capital letters).")
            : null;

    // Display only: nothing else changes, so nothing the meter does with its credit can depend on it.
    private (CommandRejection Reason, string Detail)? ShowBalanceCommand(ShowBalance command)
    {
        _shownBalance = new Display.ShownBalance(command.BalanceMinor, command.Currency, command.AsOf);
        return null;
    }

    private (CommandRejection Reason, string Detail)? ReadNowCommand()
    {
        EmitReading(ReadingKind.OnDemand);
        return null;
    }

    private (CommandRejection Reason, string Detail)? ClearTamperCommand()
    {
        ClearTamperAlarms();
        return null;
    }
}
