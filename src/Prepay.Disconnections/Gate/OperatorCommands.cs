using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Gate;

/// <summary>Who sends a command by hand, for the audit log and the policy's reason.</summary>
public enum CommandOrigin
{
    /// <summary>The operators' console.</summary>
    Console,

    /// <summary>The HTTP API (an integration, a script).</summary>
    Api,
}

/// <summary>
/// A command an operator or an integration sends a meter with a reason (connect, disconnect, read now,
/// thresholds). One that would cut supply asks the policy first, so the one who asked learns at once whether it goes
/// and under which rule: allowed, it is queued (and the dispatcher asks again when it sends); refused with a next
/// allowed instant, it is held and sent then; refused for good (a protected household), nothing is sent unless an
/// override is approved. A connect withdraws the meter's held and refused disconnections: the operator's latest word
/// wins. The command, its decision and the audit record are saved together.
/// </summary>
public sealed class OperatorCommands(DisconnectionCheck check, IClock clock, CommandDispatcher dispatcher)
{
    public abstract record Outcome
    {
        public sealed record Queued(MeterCommandRecord Command) : Outcome;

        /// <summary>Refused now; kept and sent at <see cref="DisconnectionDecisionRecord.RetryAt"/> if the policy allows it then.</summary>
        public sealed record Held(DisconnectionDecisionRecord Decision) : Outcome;

        /// <summary>Refused, and time alone will not allow it: not sent, not retried.</summary>
        public sealed record Refused(DisconnectionDecisionRecord Decision) : Outcome;

        public sealed record MeterNotFound(string Detail) : Outcome;
    }

    public async Task<Outcome> SendAsync(PrepayDb db, string meterNumber, MeterCommand command, string reason, string actor, CommandOrigin origin, CancellationToken ct)
    {
        var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id, m.MeterNumber }).FirstOrDefaultAsync(ct);
        if (meter is null)
        {
            return new Outcome.MeterNotFound($"No meter '{meterNumber}'.");
        }
        var now = clock.GetCurrentInstant();
        var reference = (origin == CommandOrigin.Console ? CutReasons.ReferencePrefix.Operator : CutReasons.ReferencePrefix.Api) + reason;
        var (type, arguments) = StoredCommands.Write(command);
        Outcome outcome;
        if (SupplyCuts.Cuts(command))
        {
            var why = CutReasons.Of(command, reference);
            var evaluation = await check.EvaluateAsync(db, meter.Id, now, why, ct);
            if (!evaluation.Decision.IsAllowed)
            {
                var decision = DecisionLog.Add(db, new CutRequest(meter.Id, meter.MeterNumber, why, type, arguments, reference, actor), evaluation, now, null);
                outcome = decision.State == DecisionState.Held ? new Outcome.Held(decision) : new Outcome.Refused(decision);
                Audit(db, now, actor, meterNumber, $"{type} {(decision.State == DecisionState.Held ? "held" : "refused")} ({decision.Rule}): {reason}");
                await db.SaveChangesAsync(ct);
                return outcome;
            }
        }
        if (command is Connect)
        {
            await WithdrawAsync(db, meter.Id, $"withdrawn: {actor} sent a connect command at {now}", ct);
        }
        var queued = CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, command, now, reference);
        Audit(db, now, actor, meterNumber, $"{type}: {reason}");
        await db.SaveChangesAsync(ct);
        dispatcher.Wake();
        return new Outcome.Queued(queued);
    }

    /// <summary>Marks the meter's held and refused disconnections withdrawn (in the caller's save).</summary>
    public static async Task WithdrawAsync(PrepayDb db, Guid meterId, string note, CancellationToken ct)
    {
        var open = await db.DisconnectionDecisions
            .Where(d => d.MeterId == meterId && (d.State == DecisionState.Held || d.State == DecisionState.Refused) && d.CommandType != null)
            .ToListAsync(ct);
        foreach (var d in open)
        {
            d.State = DecisionState.Withdrawn;
            d.RetryAt = null;
            d.Note = DecisionLog.Clip(note, 500);
        }
    }

    private static void Audit(PrepayDb db, Instant now, string actor, string meterNumber, string details) =>
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = "meter.command", Target = $"meter/{meterNumber}", Details = DecisionLog.Clip(details, 1000) });
}
