using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Approvals;
using Prepay.Storage.Records.Policies;
using Prepay.Vending;
using Prepay.Vending.Approvals;

namespace Prepay.Disconnections.Gate;

/// <summary>
/// An administrator sets aside a refusal of the policy (a cut for safety, a meter being removed): they ask with a
/// reason (<see cref="RequestAsync"/>), a second administrator approves through the approvals every two-person
/// decision goes through, and only then is the held command queued, in the approval's transaction, with a decision
/// of its own (verdict override, both people and the reason) that the dispatcher's gate lets through. A refusal that
/// was released, withdrawn or overridden meanwhile is not sent twice: the approval is refused instead.
/// </summary>
public sealed class DisconnectOverrides(IServiceScopeFactory scopes, MoneyApprovals approvals) : IApprovalExecutor
{
    internal sealed record Payload(Guid DecisionId);

    public ApprovalKind Kind => ApprovalKind.DisconnectOverride;

    public async Task<ApprovalOutcome> RequestAsync(Guid decisionId, string? reason, Actor requester, CancellationToken ct)
    {
        if (MoneyApprovals.ReasonProblem(reason) is { } problem)
        {
            return new ApprovalOutcome.Invalid("reason", problem);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var decision = await db.DisconnectionDecisions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == decisionId, ct);
        if (decision is null)
        {
            return new ApprovalOutcome.NotFound($"No disconnection decision {decisionId}.");
        }
        if (Overridable(decision) is { } why)
        {
            return new ApprovalOutcome.Refused("not-overridable", why);
        }
        var target = $"decision/{decisionId}";
        if (await db.MoneyApprovals.AsNoTracking().AnyAsync(a => a.Kind == Kind && a.Target == target && a.State == ApprovalState.Requested, ct))
        {
            return new ApprovalOutcome.Refused("already-requested", $"An override of decision {decisionId} already waits for a second administrator.");
        }
        var currency = await db.Meters.AsNoTracking().Where(m => m.Id == decision.MeterId).Select(m => m.Currency).FirstAsync(ct);
        var approval = approvals.Request(db, Kind, target, new Payload(decisionId), Money.Zero(Currency.FromCode(currency)), reason!, requester);
        await db.QueuedAsync(() => db.SaveChangesAsync(ct), ct);
        return new ApprovalOutcome.Requested(ApprovalView.Of(approval));
    }

    public Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct) => Task.CompletedTask;

    public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
    {
        var id = MoneyApprovals.Payload<Payload>(approval).DecisionId;
        var refused = await db.DisconnectionDecisions.FirstAsync(d => d.Id == id, ct);
        if (Overridable(refused) is { } why)
        {
            return new Execution.Refused("not-overridable", why);
        }
        if (StoredCommands.Read(refused.CommandType!, refused.CommandArguments ?? "{}", out var unreadable) is not { } command)
        {
            return new Execution.Refused("unreadable-command", $"The refused command cannot be read back: {unreadable}.");
        }
        var queued = CommandQueue.Enqueue(db, refused.MeterId, refused.MeterNumber, command, now, refused.CommandReference);
        refused.State = DecisionState.Overridden;
        refused.RetryAt = null;
        refused.Note = DecisionLog.Clip($"overridden at {now} by approval {approval.Id}", 500);
        db.DisconnectionDecisions.Add(new DisconnectionDecisionRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            MeterId = refused.MeterId,
            MeterNumber = refused.MeterNumber,
            At = now,
            Reason = refused.Reason,
            Verdict = DecisionVerdict.Override,
            Rule = "override",
            // The customer reads the sentence; the admins' reason is staff's (kept in the note and the approval).
            Sentence = DecisionLog.Clip($"Your supply was cut on a decision of two administrators, although {refused.PolicyCode} would not have allowed it then ({refused.Rule}).", 1000),
            PolicyCode = refused.PolicyCode,
            PolicyVersion = refused.PolicyVersion,
            State = DecisionState.Sent,
            CommandType = refused.CommandType,
            CommandArguments = refused.CommandArguments,
            CommandReference = refused.CommandReference,
            CommandId = queued.Id,
            RequestedBy = approval.RequestedByName,
            OverridesDecisionId = refused.Id,
            ApprovalId = approval.Id,
            Note = DecisionLog.Clip($"asked by {approval.RequestedByName}, approved by {approver.AuditName}: {approval.Reason}", 500),
        });
        return new Execution.Done($"command {queued.Id}");
    }

    private static string? Overridable(DisconnectionDecisionRecord d) =>
        d.Verdict != DecisionVerdict.Deny ? $"Decision {d.Id} did not refuse a disconnection; there is nothing to override."
        : d.CommandType is null ? $"Decision {d.Id} refused a management token; ask for the token again once the policy allows it."
        : d.State is not (DecisionState.Held or DecisionState.Refused) ? $"Decision {d.Id} is {d.State.ToString().ToLowerInvariant()}; there is nothing left to override."
        : null;
}
