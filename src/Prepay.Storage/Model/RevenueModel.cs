using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Storage.Records.Revenue;

namespace Prepay.Storage.Model;

/// <summary>Revenue protection: findings and their states.</summary>
internal static class RevenueModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<FindingRecord>(e =>
        {
            e.ToTable("revenue_findings", t =>
            {
                t.HasCheckConstraint("ck_revenue_findings_state", "state IN ('open', 'investigating', 'confirmed', 'dismissed')");
                t.HasCheckConstraint("ck_revenue_findings_confidence", "confidence BETWEEN 0 AND 100");
                // Moved by someone, for a reason, or never moved.
                t.HasCheckConstraint("ck_revenue_findings_moved", "(state = 'open' AND state_by IS NULL) OR (state_by IS NOT NULL AND state_reason IS NOT NULL AND state_at IS NOT NULL)");
            });
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.SiteCode).HasMaxLength(40);
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Subject).HasMaxLength(100);
            e.Property(x => x.Summary).HasMaxLength(1000);
            e.Property(x => x.Evidence).HasMaxLength(65536);
            e.Property(x => x.State).HasMaxLength(20);
            e.Property(x => x.StateBy).HasMaxLength(200);
            e.Property(x => x.StateReason).HasMaxLength(1000);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.Kind, x.SiteCode, x.MeterNumber, x.Subject }).IsUnique()
                .HasFilter("state IN ('open', 'investigating')").HasDatabaseName("ux_revenue_findings_active");
            e.HasIndex(x => new { x.State, x.FoundAt });
            e.HasIndex(x => new { x.SiteCode, x.FoundAt });
        });
    }
}
