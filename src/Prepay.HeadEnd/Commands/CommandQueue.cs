using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Puts commands for meters in the database queue. <see cref="Enqueue"/> only adds the row to the caller's
/// context, so a command is committed in the same transaction as what caused it (a vend's credit and its
/// addCredit command exist together or not at all).
/// </summary>
public static class CommandQueue
{
    public static readonly Duration DefaultLifetime = Duration.FromDays(7);

    public static MeterCommandRecord Enqueue(PrepayDb db, Guid meterId, string meterNumber, string type, object? args, Instant now, string? reference, Duration? lifetime = null)
    {
        var command = new MeterCommandRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            MeterId = meterId,
            MeterNumber = meterNumber,
            Type = type,
            Arguments = args is null ? "{}" : JsonSerializer.Serialize(args, Protocol.ProtocolJson.Options),
            State = CommandState.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
            ExpiresAt = now + (lifetime ?? DefaultLifetime),
            Reference = reference,
        };
        db.MeterCommands.Add(command);
        return command;
    }

    /// <summary>
    /// Records a meter's acknowledgement; only a command of that meter still waiting for one changes. A rejection
    /// fails the command, except a token delivery the keypad got to first (<see cref="Protocol.AckReasons.TokenUsed"/>):
    /// its credit is on the meter, so it is done, with the outcome saying which way it arrived.
    /// </summary>
    public static Task<int> AcknowledgeAsync(PrepayDb db, string meterNumber, Guid commandId, string result, string? reason, Instant now, CancellationToken ct)
    {
        var state = result == "rejected" && reason != Protocol.AckReasons.TokenUsed ? CommandState.Failed : CommandState.Acknowledged;
        var outcome = reason is null ? result : $"{result}: {reason}";
        outcome = outcome.Length > 500 ? outcome[..500] : outcome;
        return db.MeterCommands
            .Where(c => c.Id == commandId && c.MeterNumber == meterNumber && (c.State == CommandState.Queued || c.State == CommandState.Sent))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, state).SetProperty(c => c.AcknowledgedAt, now).SetProperty(c => c.Outcome, outcome), ct);
    }
}
