using NodaTime;

namespace Prepay.Storage.Records.Policies;

/// <summary>
/// One answer of the disconnection gate, kept: what was asked (a command that would cut a meter's supply, or a
/// management token zeroing its power limit), why, what the policy answered and under which rule, and what became of
/// it. Rows are the meter's record of every cut allowed, refused or overridden; only <see cref="State"/>,
/// <see cref="RetryAt"/> and the links to what was sent change as a held disconnection is released or withdrawn.
/// </summary>
public sealed class DisconnectionDecisionRecord
{
    public Guid Id { get; init; }
    public Guid MeterId { get; init; }
    public required string MeterNumber { get; init; }

    /// <summary>The instant the policy was asked about.</summary>
    public Instant At { get; init; }

    /// <summary>Why the cut was asked, as the API spells it (creditExhausted, operatorCommand, api, thresholds, managementToken).</summary>
    public required string Reason { get; init; }

    public DecisionVerdict Verdict { get; init; }

    /// <summary>The rule that decided (<c>policy.allows</c>, <c>friendlyHours.sunday</c>, <c>override</c>…).</summary>
    public required string Rule { get; init; }

    /// <summary>The sentence shown to operators and the customer ("Your supply was not cut because …").</summary>
    public required string Sentence { get; init; }

    public required string PolicyCode { get; init; }
    public int PolicyVersion { get; init; }

    /// <summary>For a refusal: the first later instant no rule of time refuses; null when time alone will not allow it.</summary>
    public Instant? NextAllowedAt { get; init; }

    public DecisionState State { get; set; }

    /// <summary>When a held disconnection is asked about again.</summary>
    public Instant? RetryAt { get; set; }

    /// <summary>The command as queued (<see cref="Metering.MeterCommandRecord.Type"/> and arguments); null for a token.</summary>
    public string? CommandType { get; init; }
    public string? CommandArguments { get; init; }

    /// <summary>The reference the command was asked with ("operator: reason", "central-credit: exhausted").</summary>
    public string? CommandReference { get; init; }

    /// <summary>The queued command this decision concerns: the one allowed, or the one sent when held was released.</summary>
    public Guid? CommandId { get; set; }

    /// <summary>Who asked (an operator's audit name, "system" for the head-end and credit).</summary>
    public required string RequestedBy { get; init; }

    /// <summary>For an override: the decision it overrode and the approval that allowed it.</summary>
    public Guid? OverridesDecisionId { get; init; }
    public Guid? ApprovalId { get; init; }

    /// <summary>Why the state last changed (released at, superseded by a connect, refused for good…).</summary>
    public string? Note { get; set; }
}

public enum DecisionVerdict
{
    Allow,
    Deny,

    /// <summary>A refusal set aside by an administrator, approved by a second one.</summary>
    Override,
}

public enum DecisionState
{
    /// <summary>Allowed (or overridden) and queued for the meter.</summary>
    Sent,

    /// <summary>Refused now; asked again at <see cref="DisconnectionDecisionRecord.RetryAt"/>.</summary>
    Held,

    /// <summary>Refused, and time alone will not allow it (a protected customer): never sent unless overridden.</summary>
    Refused,

    /// <summary>A held disconnection sent once the policy allowed it.</summary>
    Released,

    /// <summary>A held or refused disconnection no longer wanted: the meter was told to connect, or credit came back.</summary>
    Withdrawn,

    /// <summary>A refusal an approved override set aside (the override is its own row).</summary>
    Overridden,
}
