using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Storage.Records.Policies;

namespace Prepay.Storage.Model;

/// <summary>Disconnection policies: published versions and their assignment to sites and customers.</summary>
internal static class PoliciesModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<DisconnectionPolicyVersion>(e =>
        {
            e.ToTable("disconnection_policies", t => t.HasCheckConstraint("ck_disconnection_policies_version", "version >= 1"));
            e.HasIndex(x => new { x.Code, x.Version }).IsUnique();
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Document).HasMaxLength(65536);
        });
        b.Entity<DisconnectionPolicyAssignment>(e =>
        {
            e.ToTable("disconnection_policy_assignments", t =>
                t.HasCheckConstraint("ck_disconnection_policy_assignments_one_target", "(site_id IS NULL) <> (customer_id IS NULL)"));
            e.Property(x => x.PolicyCode).HasMaxLength(40);
            e.HasOne<Site>().WithMany().HasForeignKey(x => x.SiteId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.SiteId, x.EffectiveFrom }).IsUnique();
            e.HasIndex(x => new { x.CustomerId, x.EffectiveFrom }).IsUnique();
        });
    }
}
