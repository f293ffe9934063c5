using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Storage;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Gate;

/// <summary>What a disconnection concerns: a command (type and stored arguments, as queued) or a token (none).</summary>
public sealed record CutRequest(Guid MeterId, string MeterNumber, DisconnectionReason Reason, string? CommandType, string? CommandArguments, string? Reference, string RequestedBy);

/// <summary>
/// Every answer of the gate is kept (<see cref="DisconnectionDecisionRecord"/>): the meter's console page and its
/// customer read them ("your supply was not cut because …"). A refusal with a next allowed instant is held until
/// then; one without is refused (time alone will not allow it: only an override will).
/// </summary>
public static class DecisionLog
{
    /// <summary>Adds (does not save) the record of <paramref name="evaluation"/> for <paramref name="cut"/>.</summary>
    public static DisconnectionDecisionRecord Add(PrepayDb db, CutRequest cut, Evaluation evaluation, Instant now, Guid? commandId)
    {
        var decision = evaluation.Decision;
        var next = (decision as DisconnectionDecision.Deny)?.NextAllowedAt;
        var record = new DisconnectionDecisionRecord
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            MeterId = cut.MeterId,
            MeterNumber = cut.MeterNumber,
            At = evaluation.Request.At,
            Reason = ReasonNames.Name(cut.Reason),
            Verdict = decision.IsAllowed ? DecisionVerdict.Allow : DecisionVerdict.Deny,
            Rule = Clip(decision.Rule, 120),
            Sentence = Clip(decision.Sentence, 1000),
            PolicyCode = decision.PolicyCode,
            PolicyVersion = decision.PolicyVersion,
            NextAllowedAt = next,
            State = decision.IsAllowed ? DecisionState.Sent : next is null ? DecisionState.Refused : DecisionState.Held,
            // A held row is asked again when no rule of time refuses any more; the command itself knows no window.
            RetryAt = decision.IsAllowed ? null : next,
            CommandType = cut.CommandType,
            CommandArguments = cut.CommandArguments,
            CommandReference = cut.Reference is null ? null : Clip(cut.Reference, 600),
            CommandId = commandId,
            RequestedBy = Clip(cut.RequestedBy, 200),
        };
        db.DisconnectionDecisions.Add(record);
        return record;
    }

    /// <summary>What the dispatcher writes on a command the gate withdrew.</summary>
    public static string Outcome(DisconnectionDecisionRecord d) => Clip(d.State == DecisionState.Held
        ? $"held by the disconnection policy ({d.Rule}) until {d.RetryAt}: decision {d.Id}"
        : $"refused by the disconnection policy ({d.Rule}): decision {d.Id}", 500);

    public static string Clip(string text, int max) => text.Length > max ? text[..max] : text;
}
