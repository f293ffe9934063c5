using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Operators;

/// <summary>How acknowledging an operator alert ended.</summary>
public abstract record AcknowledgeOutcome
{
    public sealed record Done(OperatorAlert Alert) : AcknowledgeOutcome;
    public sealed record NotFound : AcknowledgeOutcome;
    public sealed record AlreadyAcknowledged(OperatorAlert Alert) : AcknowledgeOutcome;
    public sealed record Invalid(string Field, string Message) : AcknowledgeOutcome;
}

/// <summary>
/// An operator takes an alert (abnormal voltage, overload, outage, tamper) in hand. A conditional update of an alert
/// still open, audited in the same transaction: of two operators acknowledging at once, one does, the other is told
/// who did, and the audit log has one entry.
/// </summary>
public static class OperatorAlertAcknowledgements
{
    public const int MaxNoteLength = 500;

    public static async Task<AcknowledgeOutcome> AcknowledgeAsync(PrepayDb db, long id, string actor, string? note, Instant now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (note is { Length: > MaxNoteLength })
        {
            return new AcknowledgeOutcome.Invalid("note", $"At most {MaxNoteLength} characters.");
        }
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            var moved = await db.OperatorAlerts.Where(a => a.Id == id && a.AcknowledgedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.AcknowledgedAt, now).SetProperty(a => a.AcknowledgedBy, actor), ct);
            if (moved > 0)
            {
                var alert = await db.OperatorAlerts.AsNoTracking().FirstAsync(a => a.Id == id, ct);
                db.Audit.Add(new AuditRecord
                {
                    At = now, Actor = actor, Action = "alert.acknowledge", Target = $"alert/{id}",
                    Details = $"{alert.Type} on meter {alert.MeterNumber}" + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}"),
                });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return new AcknowledgeOutcome.Done(alert);
            }
        }
        return await db.OperatorAlerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct) is { } found
            ? new AcknowledgeOutcome.AlreadyAcknowledged(found)
            : new AcknowledgeOutcome.NotFound();
    }
}
