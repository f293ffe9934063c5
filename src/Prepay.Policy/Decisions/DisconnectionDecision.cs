using NodaTime;

namespace Prepay.Policy.Decisions;

/// <summary>
/// The policy's answer: <see cref="Allow"/> or <see cref="Deny"/>, with the stable id of the rule that decided
/// (<c>friendlyHours.sunday</c>, <c>holiday.IN-UP.2027-01-26</c>, <c>protected.medical</c>, …), the policy version
/// that holds it, and a sentence for the customer.
/// </summary>
public abstract record DisconnectionDecision(string PolicyCode, int PolicyVersion, string Rule, string Sentence)
{
    /// <summary>The rule id of an allowed disconnection: no rule of the policy protects the supply at that instant.</summary>
    public const string AllowedRule = "policy.allows";

    public sealed record Allow(string PolicyCode, int PolicyVersion, string Sentence)
        : DisconnectionDecision(PolicyCode, PolicyVersion, AllowedRule, Sentence);

    /// <summary>
    /// Not now. <see cref="NextAllowedAt"/> is the first later instant at which no rule of time (friendly hours,
    /// holidays, seasons, grace) forbids it, with the situation unchanged; null when time alone will not allow it
    /// (a protected customer, emergency credit in use, a year the holiday calendar does not cover).
    /// </summary>
    public sealed record Deny(string PolicyCode, int PolicyVersion, string Rule, string Sentence, Instant? NextAllowedAt)
        : DisconnectionDecision(PolicyCode, PolicyVersion, Rule, Sentence);

    public bool IsAllowed => this is Allow;
}
