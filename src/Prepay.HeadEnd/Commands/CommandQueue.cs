using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Uplinks;
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

    public static MeterCommandRecord Enqueue(PrepayDb db, Guid meterId, string meterNumber, MeterCommand command, Instant now, string? reference, Duration? lifetime = null)
    {
        var (type, arguments) = StoredCommands.Write(command);
        var record = new MeterCommandRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            MeterId = meterId,
            MeterNumber = meterNumber,
            Type = type,
            Arguments = arguments,
            State = CommandState.Queued,
            CreatedAt = now,
            NextAttemptAt = now,
            ExpiresAt = now + (lifetime ?? DefaultLifetime),
            Reference = reference,
            TraceParent = CommandTracing.CurrentTraceParent(),
        };
        db.MeterCommands.Add(record);
        return record;
    }

    /// <summary>
    /// Queues a display command (<see cref="DisplayCommands"/>) in place of any of the same type for the meter not yet
    /// acknowledged: those are withdrawn (<see cref="CommandState.Cancelled"/>, "superseded"), since a meter should show
    /// the newest value and an older one still travelling is worth nothing. In the caller's transaction, as
    /// <see cref="Enqueue"/>.
    /// </summary>
    public static async Task<MeterCommandRecord> EnqueueSupersedingAsync(PrepayDb db, Guid meterId, string meterNumber, MeterCommand command, Instant now,
        string? reference, Duration? lifetime, CancellationToken ct)
    {
        var (type, _) = StoredCommands.Write(command);
        if (!DisplayCommands.IsDisplay(type))
        {
            throw new ArgumentException($"Only a display command supersedes the ones before it, not {type}.", nameof(command));
        }
        await db.MeterCommands
            .Where(c => c.MeterId == meterId && c.Type == type && (c.State == CommandState.Queued || c.State == CommandState.Sent))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Cancelled).SetProperty(c => c.Outcome, DisplayCommands.SupersededByNewer), ct);
        return Enqueue(db, meterId, meterNumber, command, now, reference, lifetime);
    }

    /// <summary>
    /// Records a meter's acknowledgement; only a command of that meter still waiting for one changes. A rejection
    /// fails the command, with or without a reason, except a token delivery the keypad got to first
    /// (<see cref="CommandAcknowledgement.Succeeded"/>): its credit is on the meter, so it is done, with the outcome
    /// saying which way it arrived. The outcome reads <c>applied</c>, <c>duplicate</c> or <c>rejected: reason</c>.
    /// </summary>
    public static Task<int> AcknowledgeAsync(PrepayDb db, string meterNumber, CommandAcknowledgement ack, Instant now, CancellationToken ct)
    {
        var (state, outcome) = Closing(ack);
        return db.MeterCommands
            .Where(c => c.Id == ack.CommandId && c.MeterNumber == meterNumber && (c.State == CommandState.Queued || c.State == CommandState.Sent))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, state).SetProperty(c => c.AcknowledgedAt, now).SetProperty(c => c.Outcome, outcome), ct);
    }

    /// <summary>
    /// The state and outcome an acknowledgement gives its command (<see cref="AcknowledgeAsync"/>); the batch writer
    /// of acknowledgements (<see cref="Ingest.StatusAndAckWriter"/>) writes the same.
    /// </summary>
    public static (CommandState State, string Outcome) Closing(CommandAcknowledgement ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        var state = ack.Succeeded ? CommandState.Acknowledged : CommandState.Failed;
        var result = ack.Result switch
        {
            AcknowledgementResult.Applied => "applied",
            AcknowledgementResult.Duplicate => "duplicate",
            _ => "rejected",
        };
        var outcome = ack.Reason is null ? result : $"{result}: {ack.Reason}";
        return (state, outcome.Length > 500 ? outcome[..500] : outcome);
    }
}
