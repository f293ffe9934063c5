using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Policy.Decisions;
using Prepay.Storage;
using Prepay.Storage.Records.Policies;
using Prepay.Vending;
using Prepay.Vending.Tokens;

namespace Prepay.Disconnections.Gate;

/// <summary>
/// A management token that would cut the supply when entered passes the policy before it is made: a maximum power
/// limit of 0 W, and clear-credit (a meter with no credit and no emergency credit in use cuts at once). Refused,
/// no token is made and the refusal is kept; a token is not held for later, since it is handed to a person, not sent:
/// the operator asks again when the refusal's next allowed instant has come. Every other token goes straight on.
/// </summary>
public sealed class GatedManagementTokens(IServiceScopeFactory scopes, DisconnectionCheck check, IClock clock, ManagementTokenService tokens)
{
    public abstract record Outcome
    {
        public sealed record Token(TokenOutcome Result) : Outcome;

        public sealed record Refused(DisconnectionDecisionRecord Decision) : Outcome;
    }

    public static bool Cuts(ManagementTokenInput input) =>
        ManagementTokenKinds.TryParse(input.Kind, out var kind)
        && (kind == ManagementTokenKind.ClearCredit || (kind == ManagementTokenKind.SetMaximumPowerLimit && input.Value == 0));

    public async Task<Outcome> IssueAsync(string meterNumber, ManagementTokenInput input, string? idempotencyKey, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Cuts(input))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id }).FirstOrDefaultAsync(ct);
            if (meter is not null)
            {
                var now = clock.GetCurrentInstant();
                var evaluation = await check.EvaluateAsync(db, meter.Id, now, DisconnectionReason.ManagementToken, ct);
                if (!evaluation.Decision.IsAllowed)
                {
                    var cut = new CutRequest(meter.Id, meterNumber, DisconnectionReason.ManagementToken, null, null, $"token {input.Kind}: {input.Reason}", actor.AuditName);
                    var decision = DecisionLog.Add(db, cut, evaluation, now, null);
                    // Nothing to send later: a token goes to a person. Kept as refused, with when it may be asked again.
                    decision.State = DecisionState.Refused;
                    decision.RetryAt = null;
                    await db.SaveChangesAsync(ct);
                    return new Outcome.Refused(decision);
                }
            }
        }
        return new Outcome.Token(await tokens.IssueAsync(meterNumber, input, idempotencyKey, actor, ct));
    }
}
