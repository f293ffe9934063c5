using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Storage.Records.Statements;

namespace Prepay.Storage.Model;

/// <summary>Customers' statements: the lines they dispute with staff's answers, and their digest opt-ins.</summary>
internal static class StatementsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<StatementDisputeRecord>(e =>
        {
            e.ToTable("statement_disputes", t =>
            {
                t.HasCheckConstraint("ck_statement_disputes_state", "state IN ('Open', 'Resolved', 'Rejected')");
                // An answered dispute carries its answer, and an open one none.
                t.HasCheckConstraint("ck_statement_disputes_answer", "(state = 'Open') = (answer IS NULL)");
            });
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.LineKind).HasMaxLength(40);
            e.Property(x => x.Text).HasMaxLength(2000);
            e.Property(x => x.Answer).HasMaxLength(2000);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.State, x.RaisedAt });
            e.HasIndex(x => new { x.CustomerId, x.Day });
        });
        b.Entity<StatementDigestRecord>(e =>
        {
            e.ToTable("statement_digests");
            e.HasKey(x => x.CustomerId);
            e.Property(x => x.CustomerId).ValueGeneratedNever();
            e.Property(x => x.Frequency).HasConversion<string>().HasMaxLength(10);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
