using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Domain.Parties;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Storage.Model;

/// <summary>Customer alerts and operator alerts: the outbox, preferences, webhooks and their delivery log.</summary>
internal static class AlertsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<NotificationRecord>(e =>
        {
            e.ToTable("notifications", t => t.HasCheckConstraint("ck_notifications_attempts", "attempts >= 0"));
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.DedupKey).HasMaxLength(200);
            e.Property(x => x.Recipient).HasMaxLength(320);
            e.Property(x => x.Subject).HasMaxLength(200);
            e.Property(x => x.Body).HasMaxLength(16000);
            e.Property(x => x.LastError).HasMaxLength(1000);
            // The same cause never queues the same message twice, however often it is reported.
            e.HasIndex(x => x.DedupKey).IsUnique();
            // The dispatcher's query: what is due now.
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => new { x.CustomerId, x.CreatedAt });
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<NotificationPreference>(e =>
        {
            e.ToTable("notification_preferences", t =>
            {
                t.HasCheckConstraint("ck_notification_preferences_threshold", "low_credit_threshold_minor IS NULL OR low_credit_threshold_minor >= 0");
                t.HasCheckConstraint("ck_notification_preferences_days", "low_credit_days IS NULL OR low_credit_days BETWEEN 1 AND 60");
            });
            e.HasKey(x => new { x.CustomerId, x.Channel });
            e.Property(x => x.Channel).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.Address).HasMaxLength(320);
            e.HasOne<Customer>().WithMany().HasForeignKey(x => x.CustomerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<WebhookSubscription>(e =>
        {
            e.ToTable("webhook_subscriptions");
            e.Property(x => x.Url).HasMaxLength(2000);
            e.Property(x => x.Secret).HasMaxLength(100);
            e.Property(x => x.PreviousSecret).HasMaxLength(100);
            e.Property(x => x.EventKinds).HasMaxLength(400);
            e.Property(x => x.Description).HasMaxLength(200);
        });
        b.Entity<WebhookDelivery>(e =>
        {
            e.ToTable("webhook_deliveries");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Error).HasMaxLength(1000);
            e.HasOne<WebhookSubscription>().WithMany().HasForeignKey(x => x.SubscriptionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<NotificationRecord>().WithMany().HasForeignKey(x => x.NotificationId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.SubscriptionId, x.At });
            e.HasIndex(x => x.NotificationId);
        });
        b.Entity<OperatorAlert>(e =>
        {
            e.ToTable("operator_alerts");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.Details).HasMaxLength(2000);
            e.Property(x => x.AcknowledgedBy).HasMaxLength(200);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            // A meter resending an event raises no second alert.
            e.HasIndex(x => new { x.MeterId, x.Type, x.At }).IsUnique();
            e.HasIndex(x => x.RaisedAt);
        });
    }
}
