using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Policies;

/// <summary>Assign to a site (by code) or to a customer (by id): exactly one.</summary>
public sealed record PolicyAssignmentInput(string? Policy, string? Site, Guid? Customer, Instant? EffectiveFrom);

public sealed record PolicyAssignmentView(string Policy, string? Site, Guid? Customer, Instant EffectiveFrom, string AssignedBy);

/// <summary>
/// Assigning a published policy to a site or a customer from an instant (now when not given). The catalog has no
/// customer class, so a policy is assigned per site and per customer; a customer's assignment wins over their site's.
/// </summary>
public static class PolicyAssignments
{
    public abstract record Outcome
    {
        public sealed record Assigned(PolicyAssignmentView Assignment) : Outcome;

        public sealed record Invalid(string Field, string Problem) : Outcome;

        public sealed record NotFound(string Detail) : Outcome;

        public sealed record AlreadyAssigned(string Detail) : Outcome;
    }

    public static async Task<Outcome> AssignAsync(PrepayDb db, IClock clock, PolicyAssignmentInput input, string actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Policy))
        {
            return new Outcome.Invalid("policy", "is required: the code of a published policy");
        }
        if (string.IsNullOrWhiteSpace(input.Site) == (input.Customer is null))
        {
            return new Outcome.Invalid("site", "give either a site code or a customer id, not both and not neither");
        }
        if (!await db.DisconnectionPolicies.AnyAsync(p => p.Code == input.Policy, ct))
        {
            return new Outcome.NotFound($"No published policy '{input.Policy}'. Publish it first (POST /api/v1/disconnection-policies).");
        }
        Guid? siteId = null;
        if (!string.IsNullOrWhiteSpace(input.Site))
        {
            siteId = await db.Sites.Where(s => s.Code == input.Site).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
            if (siteId is null)
            {
                return new Outcome.NotFound($"No site '{input.Site}'.");
            }
        }
        else if (!await db.Customers.AnyAsync(c => c.Id == input.Customer, ct))
        {
            return new Outcome.NotFound($"No customer '{input.Customer}'.");
        }
        var now = clock.GetCurrentInstant();
        var from = input.EffectiveFrom ?? now;
        db.DisconnectionPolicyAssignments.Add(new DisconnectionPolicyAssignment
        {
            Id = Guid.CreateVersion7(now.ToDateTimeOffset()),
            SiteId = siteId,
            CustomerId = siteId is null ? input.Customer : null,
            PolicyCode = input.Policy,
            EffectiveFrom = from,
            AssignedBy = actor,
            AssignedAt = now,
        });
        var target = siteId is null ? $"customer/{input.Customer}" : $"site/{input.Site}";
        db.Audit.Add(new AuditRecord { At = now, Actor = actor, Action = "policy.assign", Target = target, Details = $"{input.Policy} from {from}" });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (WriteTransactions.IsUniqueViolation(e))
        {
            return new Outcome.AlreadyAssigned($"{target} already has a policy assigned from {from}.");
        }
        return new Outcome.Assigned(new PolicyAssignmentView(input.Policy, siteId is null ? null : input.Site, siteId is null ? input.Customer : null, from, actor));
    }
}
