using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Ledger.Transactions;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Storage.Records.Metering;

namespace Prepay.Storage.Model;

/// <summary>Central credit: each meter's credit model over time, the intervals and adjustments priced once, the days charged.</summary>
internal static class CentralCreditModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<MeterCreditModelRecord>(e =>
        {
            e.ToTable("meter_credit_models", t => t.HasCheckConstraint("ck_meter_credit_models_model", "model IN ('meter', 'central')"));
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Model).HasMaxLength(10);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<StoredTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MeterId, x.EffectiveFrom }).IsUnique();
        });
        b.Entity<PricedIntervalRecord>(e =>
        {
            // No foreign keys: rows are written only by the pricing round, in bulk, in the transaction that adds the
            // ledger transaction they name, for a meter whose reading (itself keyed to the meter) they price; a check
            // per row would cost the bulk write as much again. The key is the guard that matters: priced once.
            e.ToTable("central_credit_intervals");
            e.HasKey(x => new { x.MeterId, x.At });
            e.Property(x => x.Month).HasMaxLength(7);
            e.Property(x => x.TariffCode).HasMaxLength(40);
            e.HasIndex(x => new { x.MeterId, x.Month });
        });
        b.Entity<PostedAdjustmentRecord>(e =>
        {
            e.ToTable("central_credit_adjustments");
            e.HasKey(x => x.AdjustmentId);
            e.Property(x => x.AdjustmentId).ValueGeneratedNever();
            e.HasOne<ReadingAdjustment>().WithOne().HasForeignKey<PostedAdjustmentRecord>(x => x.AdjustmentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<StoredTransaction>().WithMany().HasForeignKey(x => x.TransactionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ChargedDayRecord>(e =>
        {
            e.ToTable("central_credit_days");
            e.HasKey(x => new { x.MeterId, x.Day });
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<PendingIntervalRecord>(e =>
        {
            // No foreign keys: the triggers that fill it run inside every reading write, and the reading's own key
            // already guarantees the meter.
            e.ToTable("central_credit_pending");
            e.HasKey(x => new { x.MeterId, x.At });
        });
        b.Entity<BalanceComparisonRecord>(e =>
        {
            e.ToTable("balance_comparisons", t => t.HasCheckConstraint("ck_balance_comparisons_model", "model IN ('meter', 'central') AND unit IN ('minor', 'Wh')"));
            e.HasKey(x => new { x.MeterId, x.Day });
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Model).HasMaxLength(10);
            e.Property(x => x.Unit).HasMaxLength(5);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.Explanation).HasMaxLength(1000);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.Day, x.Reported });
        });
        b.Entity<CentralCreditStateRecord>(e =>
        {
            e.ToTable("central_credit_states");
            e.HasKey(x => x.MeterId);
            e.Property(x => x.MeterId).ValueGeneratedNever();
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
