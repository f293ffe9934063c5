using System.Text.Json;
using System.Text.Json.Nodes;
using NodaTime;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// How the queue keeps a typed command in <c>meter_commands</c> (<c>type</c>, <c>arguments</c>): the names and arguments
/// of MQTT v1 (docs/mqtt.md), which every row queued before commands were typed already holds, so those rows read back
/// unchanged; <see cref="SetClock"/>, which v1 lacks, as <c>setClock</c> <c>{"at": unix milliseconds}</c>.
/// </summary>
public static class StoredCommands
{
    public const string SetClockType = "setClock";

    public static (string Type, string Arguments) Write(MeterCommand command)
    {
        if (command is SetClock clock)
        {
            return (SetClockType, new JsonObject { ["at"] = clock.At.ToUnixTimeMilliseconds() }.ToJsonString(ProtocolJson.Options));
        }
        return V1Commands.TryWrite(command, out var type, out var args)
            ? (type, args.ToJsonString(ProtocolJson.Options))
            : throw new ArgumentException($"No stored form for {command.GetType().Name}.", nameof(command));
    }

    /// <summary>The command a row holds, or null (with why) for a row no typed command reads back from.</summary>
    public static MeterCommand? Read(string type, string arguments, out string? error)
    {
        error = null;
        JsonElement args;
        try
        {
            args = JsonDocument.Parse(arguments).RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "arguments are not JSON";
            return null;
        }
        if (type == SetClockType)
        {
            if (args.ValueKind == JsonValueKind.Object && args.TryGetProperty("at", out var at) && at.TryGetInt64(out var ms)
                && ms >= Instant.MinValue.ToUnixTimeMilliseconds() && ms <= Instant.MaxValue.ToUnixTimeMilliseconds())
            {
                return new SetClock(Instant.FromUnixTimeMilliseconds(ms));
            }
            error = "setClock needs at (unix milliseconds)";
            return null;
        }
        return V1Commands.TryRead(type, args, out var command, out error) ? command : null;
    }
}
