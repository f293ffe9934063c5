using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Storage.Records.Metering;

namespace Prepay.Storage.Model;

/// <summary>The head-end's tables (the command queue, readings, events, meter status, refused payloads) and the management tokens issued.</summary>
internal static class MeteringModel
{
    /// <summary>Numbers each inserted command in its meter's sequence (migration <c>CommandSequence</c>).</summary>
    public const string CommandSequenceTrigger = "meter_commands_seq";

    public static void Configure(ModelBuilder b)
    {
        b.Entity<ManagementTokenRecord>(e =>
        {
            e.ToTable("management_tokens");
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Token).HasMaxLength(20);
            e.Property(x => x.Actor).HasMaxLength(200);
            e.Property(x => x.Reason).HasMaxLength(500);
            e.Property(x => x.KeyChangeTokens).HasMaxLength(200);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MeterId, x.IssuedAt });
        });
        b.Entity<MeterCommandRecord>(e =>
        {
            // The trigger numbers each command in its meter's sequence (Seq) as it is inserted.
            e.ToTable("meter_commands", t => t.HasTrigger(CommandSequenceTrigger));
            e.Property(x => x.Seq).HasDefaultValue(0L);
            e.HasIndex(x => new { x.MeterId, x.Seq }).IsUnique();
            e.Property(x => x.Type).HasMaxLength(30);
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.Arguments).HasMaxLength(4000);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Outcome).HasMaxLength(500);
            e.Property(x => x.TraceParent).HasMaxLength(55);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            // The dispatcher's query: what is due now.
            e.HasIndex(x => new { x.State, x.NextAttemptAt });
            e.HasIndex(x => new { x.MeterId, x.CreatedAt });
        });
        b.Entity<IntervalReading>(e =>
        {
            e.ToTable("readings", t => t.HasCheckConstraint("ck_readings_quality", "quality IN ('valid', 'estimated', 'edited', 'suspect')"));
            e.HasKey(x => new { x.MeterId, x.At });
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.Property(x => x.Quality).HasMaxLength(10).HasDefaultValue("valid");
            e.Property(x => x.QualityRule).HasMaxLength(40);
        });
        b.Entity<ReadingAdjustment>(e =>
        {
            e.ToTable("reading_adjustments", t => t.HasCheckConstraint("ck_reading_adjustments_cause", "cause IN ('replaced', 'edited')"));
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Cause).HasMaxLength(10);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.MeterId, x.At });
        });
        b.Entity<MeterEventRecord>(e =>
        {
            e.ToTable("meter_events");
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Type).HasMaxLength(40);
            e.Property(x => x.Details).HasMaxLength(2000);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            // A meter resending an event (after a lost acknowledgement) is the same event, not a second one.
            e.HasIndex(x => new { x.MeterId, x.At, x.Type }).IsUnique();
        });
        b.Entity<DlmsEndpointRecord>(e =>
        {
            e.ToTable("meter_dlms_endpoints", t =>
            {
                t.HasCheckConstraint("ck_meter_dlms_endpoints_port", "port BETWEEN 1 AND 65535");
                t.HasCheckConstraint("ck_meter_dlms_endpoints_addresses", "client_address BETWEEN 0 AND 65535 AND server_address BETWEEN 0 AND 65535");
                t.HasCheckConstraint("ck_meter_dlms_endpoints_authentication", "authentication IN ('none', 'low', 'high-gmac')");
            });
            e.HasKey(x => x.MeterId);
            e.Property(x => x.Host).HasMaxLength(253);
            e.Property(x => x.Authentication).HasMaxLength(10);
            e.Property(x => x.SystemTitle).HasMaxLength(16);
            e.HasOne<Meter>().WithOne().HasForeignKey<DlmsEndpointRecord>(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<MeterStatusRecord>(e =>
        {
            e.ToTable("meter_status");
            e.HasKey(x => x.MeterId);
            e.Property(x => x.Relay).HasMaxLength(20);
            e.Property(x => x.DisplayedBalanceCurrency).HasMaxLength(3);
            e.HasOne<Meter>().WithOne().HasForeignKey<MeterStatusRecord>(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<Records.Campaigns.KeyChangeCampaignRecord>(e =>
        {
            e.ToTable("key_change_campaigns");
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.Scope).HasMaxLength(500);
            e.Property(x => x.ToBaseDate).HasConversion<string>().HasMaxLength(10);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Reason).HasMaxLength(500);
        });
        b.Entity<Records.Campaigns.KeyChangeCampaignMeterRecord>(e =>
        {
            e.ToTable("key_change_campaign_meters");
            e.HasKey(x => new { x.CampaignId, x.MeterId });
            e.Property(x => x.MeterNumber).HasMaxLength(32);
            e.Property(x => x.SiteCode).HasMaxLength(40);
            e.Property(x => x.Tokens).HasMaxLength(200);
            e.Property(x => x.ConfirmReason).HasMaxLength(500);
            e.HasOne<Records.Campaigns.KeyChangeCampaignRecord>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<Meter>().WithMany().HasForeignKey(x => x.MeterId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => x.MeterId);
        });
        b.Entity<PayloadRejection>(e =>
        {
            e.ToTable("payload_rejections");
            e.HasKey(x => new { x.MeterNumber, x.Reason });
            e.Property(x => x.MeterNumber).HasMaxLength(64);
            e.Property(x => x.Reason).HasMaxLength(60);
        });
    }
}
