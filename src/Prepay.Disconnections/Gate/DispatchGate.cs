using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Gate;

/// <summary>
/// The policy's word at the instant a cutting command would go out, on every attempt: a command queued at 17:59
/// to a meter that comes online at 02:00 is not sent at 02:00. A command an approved override queued goes. An
/// allowed first attempt is recorded (the rule that allowed the cut); a refused one is recorded as held or refused,
/// with the command, so it can be sent again when the policy allows.
/// </summary>
public sealed class DispatchGate(DisconnectionCheck check) : ISupplyCutGate
{
    public async Task<GateAnswer> MaySendAsync(PrepayDb db, MeterCommandRecord queued, MeterCommand command, Instant now, CancellationToken ct)
    {
        if (await db.DisconnectionDecisions.AsNoTracking().AnyAsync(d => d.CommandId == queued.Id && d.Verdict == DecisionVerdict.Override, ct))
        {
            return GateAnswer.Allow;
        }
        var reason = CutReasons.Of(command, queued.Reference);
        var evaluation = await check.EvaluateAsync(db, queued.MeterId, now, reason, ct);
        var cut = new CutRequest(queued.MeterId, queued.MeterNumber, reason, queued.Type, queued.Arguments, queued.Reference, "head-end");
        if (evaluation.Decision.IsAllowed)
        {
            if (queued.Attempts == 0)
            {
                DecisionLog.Add(db, cut, evaluation, now, queued.Id);
            }
            return GateAnswer.Allow;
        }
        var record = DecisionLog.Add(db, cut, evaluation, now, null);
        record.Note = $"withdrawn from the queue as command {queued.Id}";
        return GateAnswer.Refuse(DecisionLog.Outcome(record));
    }
}
