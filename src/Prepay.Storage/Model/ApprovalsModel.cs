using Microsoft.EntityFrameworkCore;
using Prepay.Storage.Records.Approvals;

namespace Prepay.Storage.Model;

/// <summary>Money that needs two people: requests and their decisions.</summary>
internal static class ApprovalsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<MoneyApproval>(e =>
        {
            e.ToTable("money_approvals", t =>
            {
                t.HasCheckConstraint("ck_money_approvals_amount", "amount_minor >= 0");
                // Nobody decides their own request; the code refuses it first, the database holds it.
                t.HasCheckConstraint("ck_money_approvals_two_people", "decided_by IS NULL OR decided_by <> requested_by");
            });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Target).HasMaxLength(100);
            e.Property(x => x.Payload).HasMaxLength(4000);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.Result).HasMaxLength(500);
            e.HasIndex(x => new { x.State, x.RequestedAt });
            e.HasIndex(x => new { x.Kind, x.State, x.DecidedAt });
        });
    }
}
