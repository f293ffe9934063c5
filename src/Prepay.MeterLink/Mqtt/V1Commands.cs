using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.MeterLink.Commands;

namespace Prepay.MeterLink.Mqtt;

/// <summary>
/// Typed commands to and from MQTT v1's <c>type</c> and <c>args</c> (docs/mqtt.md, Command): one line per command each
/// way. Reading is strict (an unknown member, a fraction or a wrong type is refused with what is wrong), so whatever
/// is read back is exactly what a typed command writes. <see cref="SetClock"/> has no v1 form.
/// </summary>
public static class V1Commands
{
    /// <summary>The v1 <c>type</c> and <c>args</c> of <paramref name="command"/>; false for a command v1 cannot carry.</summary>
    public static bool TryWrite(MeterCommand command, out string type, out JsonObject args)
    {
        (type, args) = command switch
        {
            AddCredit c => (CommandTypes.AddCredit, new JsonObject { ["energyWh"] = c.Energy.WattHours }),
            DeliverToken d => (CommandTypes.DeliverToken, new JsonObject { ["tokens"] = new JsonArray([.. d.Tokens.Select(t => JsonValue.Create(t))]) }),
            Connect => (CommandTypes.Connect, new JsonObject()),
            Disconnect => (CommandTypes.Disconnect, new JsonObject()),
            ReadNow => (CommandTypes.ReadNow, new JsonObject()),
            SetThresholds t => (CommandTypes.SetThresholds, Thresholds(t)),
            SetTariff t => (CommandTypes.SetTariff, new JsonObject { ["tariffCode"] = t.TariffCode, ["version"] = t.Version }),
            SetCreditPolicy p when V1CreditPolicy.Write(p) is { } policy => (CommandTypes.SetCreditPolicy, policy),
            ShowBalance b when !b.Balance.Currency.IsDefault => (CommandTypes.ShowBalance, new JsonObject
            {
                ["balanceMinor"] = b.Balance.Minor,
                ["currency"] = b.Balance.Currency.Code,
                ["asOf"] = InstantPattern.ExtendedIso.Format(b.AsOf),
            }),
            SetCreditMode m when m.Credit.WattHours >= 0 && (m.Mode == CreditMode.Meter || m.Credit.WattHours == 0) => (CommandTypes.SetCreditMode, new JsonObject
            {
                ["mode"] = ModeName(m.Mode),
                ["from"] = InstantPattern.ExtendedIso.Format(m.From),
                ["creditWh"] = m.Credit.WattHours,
            }),
            _ => ("", new JsonObject()),
        };
        return type.Length > 0;
    }

    /// <summary>The v1 command for <paramref name="envelope"/>, unsigned (<see cref="CommandSignature.Seal"/> signs it); null when v1 cannot carry it.</summary>
    public static CommandMessage? ToMessage(CommandEnvelope envelope) =>
        TryWrite(envelope.Command, out var type, out var args)
            ? new CommandMessage(envelope.CommandId, type, JsonSerializer.SerializeToElement(args, ProtocolJson.Options),
                envelope.IssuedAt.ToDateTimeOffset(), envelope.ExpiresAt.ToDateTimeOffset(), envelope.Seq)
            : null;

    /// <summary>The typed command in a v1 message (its MAC is the transport's to check), or null with why it is not one.</summary>
    public static CommandEnvelope? FromMessage(CommandMessage message, out string? error) =>
        TryRead(message.Type, message.Args, out var command, out error)
            ? new CommandEnvelope(message.CommandId, message.Seq, Instant.FromDateTimeOffset(message.IssuedAt), Instant.FromDateTimeOffset(message.ExpiresAt), command!)
            : null;

    /// <summary>Reads a v1 <c>type</c> and its <c>args</c>; false with a sentence saying what is wrong.</summary>
    public static bool TryRead(string? type, JsonElement? args, out MeterCommand? command, out string? error)
    {
        command = null;
        error = null;
        var a = new Args(args);
        command = type switch
        {
            CommandTypes.AddCredit => a.Only("energyWh") && a.Positive("energyWh") is { } wh ? new AddCredit(new Energy(wh)) : null,
            CommandTypes.DeliverToken => a.Only("tokens", "token") && a.Tokens() is { } tokens ? new DeliverToken(tokens) : null,
            CommandTypes.Connect => a.Only() ? new Connect() : null,
            CommandTypes.Disconnect => a.Only() ? new Disconnect() : null,
            CommandTypes.ReadNow => a.Only() ? new ReadNow() : null,
            CommandTypes.SetThresholds => a.Only("lowCreditWh", "emergencyCreditWh") ? Thresholds(a) : null,
            CommandTypes.SetTariff => a.Only("tariffCode", "version") && a.Text("tariffCode") is { Length: > 0 } code && a.Integer("version", required: true) is >= 0 and <= int.MaxValue and var v
                ? new SetTariff(code, (int)v) : null,
            CommandTypes.SetCreditPolicy => a.Only("policy", "version", "friendlyHours", "holidays", "protected") ? CreditPolicy(a) : null,
            CommandTypes.ShowBalance => a.Only("balanceMinor", "currency", "asOf") ? Balance(a) : null,
            CommandTypes.SetCreditMode => a.Only("mode", "from", "creditWh") ? Mode(a) : null,
            _ => null,
        };
        if (command is null)
        {
            error = !CommandTypes.All.Contains(type ?? "") ? $"unknown command type '{type}'" : a.Error ?? $"{type} has no such arguments";
        }
        return command is not null;
    }

    private static JsonObject Thresholds(SetThresholds t)
    {
        var args = new JsonObject();
        if (t.LowCredit is { } low)
        {
            args["lowCreditWh"] = low.WattHours;
        }
        if (t.EmergencyCredit is { } emergency)
        {
            args["emergencyCreditWh"] = emergency.WattHours;
        }
        return args;
    }

    private static SetThresholds? Thresholds(Args a)
    {
        var low = a.Integer("lowCreditWh", required: false);
        var emergency = a.Integer("emergencyCreditWh", required: false);
        return a.Error is null ? new SetThresholds(low is { } l ? new Energy(l) : null, emergency is { } e ? new Energy(e) : null) : null;
    }

    // Every member required: a balance without its currency or its instant means nothing on a display.
    private static ShowBalance? Balance(Args a)
    {
        var minor = a.Integer("balanceMinor", required: true);
        var code = a.Error is null ? a.Text("currency") : null;
        var currency = default(Currency);
        if (a.Error is null && !Currency.TryFromCode(code, out currency))
        {
            a.Refuse<string>($"args.currency '{code}' is not a known ISO 4217 code");
        }
        var text = a.Error is null ? a.Text("asOf") : null;
        var asOf = text is null ? null : InstantPattern.ExtendedIso.Parse(text);
        if (a.Error is null && asOf is not { Success: true })
        {
            a.Refuse<string>($"args.asOf must be an instant (yyyy-MM-ddTHH:mm:ss.FFFFFFFFFZ), not '{text}'");
        }
        return a.Error is null ? new ShowBalance(new Money(minor!.Value, currency), asOf!.Value) : null;
    }

    private static string ModeName(CreditMode mode) => mode switch
    {
        CreditMode.Meter => "meter",
        CreditMode.Central => "central",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    // Every member required, and no credit handed to a meter giving its credit up: a meter must not guess either.
    private static SetCreditMode? Mode(Args a)
    {
        var name = a.Text("mode");
        CreditMode? mode = name switch { "meter" => CreditMode.Meter, "central" => CreditMode.Central, _ => null };
        if (a.Error is null && mode is null)
        {
            a.Refuse<string>($"args.mode must be meter or central, not '{name}'");
        }
        var text = a.Error is null ? a.Text("from") : null;
        var from = text is null ? null : InstantPattern.ExtendedIso.Parse(text);
        if (a.Error is null && from is not { Success: true })
        {
            a.Refuse<string>($"args.from must be an instant (yyyy-MM-ddTHH:mm:ss.FFFFFFFFFZ), not '{text}'");
        }
        var credit = a.Error is null ? a.Integer("creditWh", required: true) : null;
        if (a.Error is null && (credit < 0 || (mode == CreditMode.Central && credit != 0)))
        {
            a.Refuse<string>("args.creditWh must be 0 for central and at least 0 for meter");
        }
        return a.Error is null ? new SetCreditMode(mode!.Value, from!.Value, new Energy(credit!.Value)) : null;
    }

    // Every member required: a meter given part of a policy would keep the rest of an older one.
    private static SetCreditPolicy? CreditPolicy(Args a)
    {
        var code = a.Text("policy");
        if (code is { Length: 0 })
        {
            a.Refuse<string>("args.policy must not be empty");
        }
        var version = a.Error is null ? a.Integer("version", required: true) : null;
        if (version is < 0 or > int.MaxValue)
        {
            a.Refuse<string>("args.version must be 0 to 2147483647");
        }
        var windows = a.Error is null ? a.Strings("friendlyHours", V1CreditPolicy.MaxWindows, "windows") : null;
        var read = new List<WeeklyWindow>();
        for (var i = 0; a.Error is null && i < windows?.Count; i++)
        {
            if (V1CreditPolicy.TryReadWindow(windows[i], out var window, out var problem))
            {
                read.Add(window!);
            }
            else
            {
                a.Refuse<string>($"args.friendlyHours[{i}] {problem}");
            }
        }
        var dates = a.Error is null ? a.Strings("holidays", V1CreditPolicy.MaxHolidays, "dates") : null;
        var holidays = new List<LocalDate>();
        for (var i = 0; a.Error is null && i < dates?.Count; i++)
        {
            if (V1CreditPolicy.ReadDate(dates[i]) is { } date)
            {
                holidays.Add(date);
            }
            else
            {
                a.Refuse<string>($"args.holidays[{i}] must be a date (yyyy-MM-dd), not '{dates[i]}'");
            }
        }
        var flag = a.Error is null ? a.Integer("protected", required: true) : null;
        if (flag is not (null or 0 or 1))
        {
            a.Refuse<string>("args.protected must be 0 or 1");
        }
        return a.Error is null ? new SetCreditPolicy(code!, (int)version!.Value, read, holidays, flag == 1) : null;
    }

    /// <summary>A command's arguments as v1 allows them: an object (or nothing) of integers, strings and lists of strings.</summary>
    private sealed class Args(JsonElement? args)
    {
        private readonly JsonElement? _args = args is { ValueKind: JsonValueKind.Null } ? null : args;

        public string? Error { get; private set; }

        /// <summary>True when every member is one of <paramref name="names"/>, each once.</summary>
        public bool Only(params string[] names)
        {
            if (_args is not { } a)
            {
                return true;
            }
            if (a.ValueKind != JsonValueKind.Object)
            {
                return Fail("args must be an object");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in a.EnumerateObject())
            {
                if (!names.Contains(p.Name, StringComparer.Ordinal))
                {
                    return Fail($"args has no member '{p.Name}'");
                }
                if (!seen.Add(p.Name))
                {
                    return Fail($"args has '{p.Name}' twice");
                }
            }
            return true;
        }

        public long? Integer(string name, bool required)
        {
            if (Member(name) is not { } m)
            {
                if (required)
                {
                    Fail($"args.{name} is required");
                }
                return null;
            }
            if (m.ValueKind != JsonValueKind.Number || !m.TryGetInt64(out var n))
            {
                Fail($"args.{name} must be an integer");
                return null;
            }
            return n;
        }

        public long? Positive(string name)
        {
            var n = Integer(name, required: true);
            if (n is <= 0)
            {
                Fail($"args.{name} must be above 0");
                return null;
            }
            return n;
        }

        public string? Text(string name)
        {
            if (Member(name) is not { ValueKind: JsonValueKind.String } m)
            {
                Fail($"args.{name} must be a string");
                return null;
            }
            return m.GetString();
        }

        /// <summary>A required list of strings of at most <paramref name="max"/> <paramref name="what"/>.</summary>
        public IReadOnlyList<string>? Strings(string name, int max, string what)
        {
            if (Member(name) is not { ValueKind: JsonValueKind.Array } list || !list.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            {
                return Refuse<IReadOnlyList<string>>($"args.{name} must be a list of strings");
            }
            if (list.GetArrayLength() > max)
            {
                return Refuse<IReadOnlyList<string>>($"args.{name} has more than {max} {what}");
            }
            return [.. list.EnumerateArray().Select(e => e.GetString()!)];
        }

        /// <summary>Records <paramref name="error"/> (the first one counts) and reads as nothing.</summary>
        public T? Refuse<T>(string error) where T : class
        {
            Fail(error);
            return null;
        }

        /// <summary><c>tokens</c> (a list of strings) or <c>token</c> (one string), not both, at least one token.</summary>
        public IReadOnlyList<string>? Tokens()
        {
            var list = Member("tokens");
            var one = Member("token");
            if (list is { ValueKind: JsonValueKind.Array } l && one is null && l.GetArrayLength() > 0 && l.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String))
            {
                return [.. l.EnumerateArray().Select(t => t.GetString()!)];
            }
            if (one is { ValueKind: JsonValueKind.String } o && list is null)
            {
                return [o.GetString()!];
            }
            Fail("args must hold tokens (a list of strings) or token (a string)");
            return null;
        }

        private JsonElement? Member(string name) => _args is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty(name, out var m) ? m : null;

        private bool Fail(string error)
        {
            Error ??= error;
            return false;
        }
    }
}
