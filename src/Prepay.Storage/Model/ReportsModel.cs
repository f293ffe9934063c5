using Microsoft.EntityFrameworkCore;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Reports;

namespace Prepay.Storage.Model;

/// <summary>Scheduled reports and the files their emails carry.</summary>
internal static class ReportsModel
{
    public static void Configure(ModelBuilder b)
    {
        b.Entity<ReportScheduleRecord>(e =>
        {
            e.ToTable("report_schedules", t => t.HasCheckConstraint("ck_report_schedules_cadence", "cadence IN ('daily', 'weekly', 'monthly')"));
            e.Property(x => x.Report).HasMaxLength(40);
            e.Property(x => x.GroupBy).HasMaxLength(20);
            e.Property(x => x.Cadence).HasMaxLength(10);
            e.Property(x => x.Zone).HasMaxLength(64);
            e.Property(x => x.Recipients).HasMaxLength(2000);
            e.Property(x => x.CreatedBy).HasMaxLength(200);
            e.Property(x => x.LastPeriod).HasMaxLength(20);
        });
        b.Entity<NotificationAttachment>(e =>
        {
            e.ToTable("notification_attachments");
            e.HasKey(x => x.NotificationId);
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
            // text, unbounded: a month's report for a large fleet runs to megabytes.
            e.Property(x => x.Content).HasColumnType("text");
            e.HasOne<NotificationRecord>().WithOne().HasForeignKey<NotificationAttachment>(x => x.NotificationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
