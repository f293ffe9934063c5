using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Domain.Sites;
using Prepay.Storage.Records.Policies;

namespace Prepay.Storage.Model;

/// <summary>Disconnection policies: published versions, their assignment to sites and customers, and the gate's decisions.</summary>
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
        b.Entity<DisconnectionDecisionRecord>(e =>
        {
            e.ToTable("disconnection_decisions");
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Reason).HasMaxLength(32);
            e.Property(x => x.Verdict).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.Rule).HasMaxLength(120);
            e.Property(x => x.Sentence).HasMaxLength(1000);
            e.Property(x => x.PolicyCode).HasMaxLength(40);
            e.Property(x => x.CommandType).HasMaxLength(40);
            e.Property(x => x.CommandArguments).HasMaxLength(4000);
            e.Property(x => x.CommandReference).HasMaxLength(600);
            e.Property(x => x.RequestedBy).HasMaxLength(200);
            e.Property(x => x.Note).HasMaxLength(500);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MeterId, x.At });
            e.HasIndex(x => new { x.State, x.RetryAt });
            e.HasIndex(x => x.CommandId);
        });
    }
}
