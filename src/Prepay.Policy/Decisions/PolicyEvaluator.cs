using NodaTime;
using NodaTime.Text;
using Prepay.Policy.Documents;
using Prepay.Policy.Holidays;

namespace Prepay.Policy.Decisions;

/// <summary>
/// The one gate a disconnection passes: <see cref="Decide"/> answers allow or deny with the rule that decided. The
/// order is fixed and documented: protections of the customer (medical, then vulnerable) and emergency credit first,
/// for no hour of the clock lifts them; then the rules of time (<see cref="TimeRules"/>: grace after the switch to
/// prepaid, seasonal moratoria, public holidays, friendly hours). A refusal names the first rule that refused at
/// the instant asked, and the next instant at which no rule of time refuses (walking forward through adjoining
/// windows: Sunday, then a Monday holiday, then Tuesday until 08:00). Pure: no clock, no storage.
/// </summary>
public sealed class PolicyEvaluator(HolidayCalendars calendars)
{
    // Each step moves to the end of a refusing window; a year of windows and holidays is far below this.
    private const int MaxSteps = 2_000;

    private static readonly LocalDateTimePattern Local = LocalDateTimePattern.CreateWithInvariantCulture("ddd d MMM yyyy HH:mm");

    /// <summary>The evaluator over the holiday calendars shipped with this module.</summary>
    public static PolicyEvaluator Shipped { get; } = new(HolidayCalendars.Shipped);

    public DisconnectionDecision Decide(PolicyDocument policy, DisconnectionRequest request)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(request);
        if (Standing(policy, request) is { } standing)
        {
            return Refuse(policy, request, standing, null);
        }
        var rules = new TimeRules(policy, request, calendars);
        var first = rules.FirstAt(request.At);
        if (first is null)
        {
            return new DisconnectionDecision.Allow(policy.Code, policy.Version,
                $"{policy.Name} allows a disconnection at {Local.Format(request.At.InZone(request.Zone).LocalDateTime)} ({request.Zone.Id}): " +
                "no friendly hours, public holiday, season, grace period or protection applies.");
        }
        return Refuse(policy, request, first, NextAllowed(rules, first));
    }

    private static Denial? Standing(PolicyDocument policy, DisconnectionRequest request)
    {
        var p = policy.Protections;
        if (p.NeverMedical && request.Protections.HasFlag(CustomerProtections.Medical))
        {
            return new Denial("protected.medical", "your household is registered as depending on medical equipment, and such a household is never disconnected", null);
        }
        if (p.NeverVulnerable && request.Protections.HasFlag(CustomerProtections.Vulnerable))
        {
            return new Denial("protected.vulnerable", "your household is registered as vulnerable, and such a household is never disconnected", null);
        }
        if (policy.EmergencyCredit is not null && request.InEmergencyCredit)
        {
            return new Denial("emergencyCredit", "you are using emergency credit, and no supply is cut while it lasts", null);
        }
        return null;
    }

    private static Instant? NextAllowed(TimeRules rules, Denial first)
    {
        var denial = first;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (denial.Until is not { } until)
            {
                return null;
            }
            denial = rules.FirstAt(until);
            if (denial is null)
            {
                return until;
            }
        }
        return null;
    }

    private static DisconnectionDecision.Deny Refuse(PolicyDocument policy, DisconnectionRequest request, Denial denial, Instant? next)
    {
        var opening = request.Reason switch
        {
            DisconnectionReason.CreditExhausted => "Your supply was not cut when your credit ran out because ",
            DisconnectionReason.OperatorCommand or DisconnectionReason.Api => "Your supply was not cut as requested because ",
            DisconnectionReason.Thresholds => "Your meter's settings were not changed to cut your supply because ",
            DisconnectionReason.ManagementToken => "Your meter's power limit was not set to zero because ",
            _ => "Your supply was not cut because ",
        };
        var after = next is { } n
            ? $" The earliest it may be is {Local.Format(n.InZone(request.Zone).LocalDateTime)} ({request.Zone.Id})."
            : "";
        return new DisconnectionDecision.Deny(policy.Code, policy.Version, denial.Rule,
            $"{opening}{denial.Because} under {policy.Name}.{after}", next);
    }
}
