using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;

namespace Prepay.Storage.Model;

/// <summary>Online payments: checkout sessions, the providers' verified callbacks and refunds.</summary>
internal static class PaymentsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<PaymentSession>(e =>
        {
            e.ToTable("payment_sessions", t => t.HasCheckConstraint("ck_payment_sessions_amount", "amount_minor > 0"));
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(12);
            e.Property(x => x.Origin).HasMaxLength(12);
            e.Property(x => x.IdempotencyKey).HasMaxLength(100);
            e.Property(x => x.RequestHash).HasMaxLength(64);
            e.Property(x => x.AccessKey).HasMaxLength(64);
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.ProviderPaymentId).HasMaxLength(100);
            e.Property(x => x.PaymentMethod).HasMaxLength(60);
            e.Property(x => x.Failure).HasMaxLength(500);
            // A resent form finds its session; a payment id belongs to one session.
            e.HasIndex(x => x.IdempotencyKey).IsUnique();
            e.HasIndex(x => new { x.Provider, x.ProviderPaymentId }).IsUnique().HasFilter("provider_payment_id IS NOT NULL").HasDatabaseName("ux_payment_sessions_payment");
            e.HasIndex(x => new { x.PayerCustomerId, x.CreatedAt });
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<VendRecord>().WithMany().HasForeignKey(x => x.VendId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<PaymentCallback>(e =>
        {
            e.ToTable("payment_callbacks");
            // The replay guard: a callback id is accepted once per provider, by the database.
            e.HasKey(x => new { x.Provider, x.CallbackId });
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.CallbackId).HasMaxLength(100);
            e.Property(x => x.ProviderPaymentId).HasMaxLength(100);
            e.Property(x => x.Result).HasMaxLength(12);
            e.Property(x => x.BodySha256).HasMaxLength(64);
            e.Property(x => x.Effect).HasMaxLength(12);
            e.HasOne<PaymentSession>().WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.SessionId);
        });
        b.Entity<PaymentRefund>(e =>
        {
            e.ToTable("payment_refunds", t => t.HasCheckConstraint("ck_payment_refunds_amount", "amount_minor > 0"));
            e.Property(x => x.Provider).HasMaxLength(20);
            e.Property(x => x.ProviderPaymentId).HasMaxLength(100);
            e.Property(x => x.Currency).HasMaxLength(3);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.ProviderReference).HasMaxLength(100);
            e.Property(x => x.LastError).HasMaxLength(500);
            // One refund per payment, whatever path asks for it: a second approval finds the key taken.
            e.HasIndex(x => x.PaymentId).IsUnique();
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasOne<PaymentSession>().WithMany().HasForeignKey(x => x.PaymentId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Records.Approvals.MoneyApproval>().WithMany().HasForeignKey(x => x.ApprovalId).OnDelete(DeleteBehavior.Restrict);
        });
    }
}
