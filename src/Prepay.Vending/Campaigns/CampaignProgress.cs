using Microsoft.EntityFrameworkCore;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;
using Prepay.Storage.Records.Campaigns;
using Prepay.Storage.Records.Metering;

namespace Prepay.Vending.Campaigns;

/// <summary>
/// Where each meter of a campaign stands, read from what the server knows: what it issued, what the head-end heard
/// back (the delivery command's acknowledgement, the key revision a smart meter reports), and who confirmed a
/// keypad meter. Nothing here is a counter that could drift from those facts.
/// </summary>
public static class CampaignProgress
{
    public static async Task<CampaignView?> ReadAsync(PrepayDb db, Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        return campaign is null ? null : View(campaign, await MetersAsync(db, campaign, ct));
    }

    public static async Task<IReadOnlyList<CampaignMeterView>> MetersAsync(PrepayDb db, KeyChangeCampaignRecord campaign, CancellationToken ct)
    {
        var rows = await (
            from m in db.KeyChangeCampaignMeters.AsNoTracking().Where(m => m.CampaignId == campaign.Id)
            join c in db.MeterCommands on m.CommandId equals (Guid?)c.Id into commands
            from c in commands.DefaultIfEmpty()
            join s in db.MeterStatus on m.MeterId equals s.MeterId into statuses
            from s in statuses.DefaultIfEmpty()
            orderby m.SiteCode, m.MeterNumber
            select new { Meter = m, CommandState = (CommandState?)c.State, c.Outcome, ReportedKrn = (int?)s.KeyRevision })
            .ToListAsync(ct);
        return [.. rows.Select(r => new CampaignMeterView(r.Meter.MeterNumber, r.Meter.SiteCode, r.Meter.FromSupplyGroupCode, r.Meter.IsSmart,
            StateOf(r.Meter, r.CommandState, r.Outcome, r.ReportedKrn, campaign.ToKeyRevisionNumber),
            r.Meter.IssuedAt, r.Meter.Deliveries, r.Outcome, r.Meter.ConfirmedAt, r.Meter.ConfirmedBy, r.Meter.ConfirmReason))];
    }

    /// <summary>The meters someone still has to see to: not confirmed, and (smart meters) not delivered either.</summary>
    public static IEnumerable<CampaignMeterView> StillToVisit(IEnumerable<CampaignMeterView> meters) =>
        meters.Where(m => m.State is not (CampaignMeterState.Confirmed or CampaignMeterState.Delivered));

    internal static CampaignMeterState StateOf(KeyChangeCampaignMeterRecord m, CommandState? command, string? outcome, int? reportedKrn, int targetKrn)
    {
        if (m.ConfirmedAt is not null || (m.IsSmart && m.IssuedAt is not null && reportedKrn == targetKrn))
        {
            return CampaignMeterState.Confirmed;
        }

        if (m.IssuedAt is null)
        {
            return CampaignMeterState.Planned;
        }

        return command switch
        {
            CommandState.Acknowledged when outcome is "applied" or "duplicate" or $"rejected: {AcknowledgementReasons.TokenUsed}" => CampaignMeterState.Delivered,
            CommandState.Acknowledged or CommandState.Failed or CommandState.Expired => CampaignMeterState.Failed,
            _ => CampaignMeterState.Issued,
        };
    }

    internal static CampaignView View(KeyChangeCampaignRecord c, IReadOnlyList<CampaignMeterView> meters) =>
        new(c.Id, c.Name, c.Scope, c.Reason, c.ToKeyRevisionNumber, c.ToSupplyGroupCode, c.ToTariffIndex, (int?)c.ToBaseDate, c.StartsAt,
            c.State.ToString().ToLowerInvariant(), c.CreatedBy, c.CreatedAt,
            CampaignTally.Of("all", meters),
            [.. meters.GroupBy(m => m.Site ?? "(not installed)").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => CampaignTally.Of(g.Key, g))],
            [.. meters.GroupBy(m => m.SupplyGroupCode).OrderBy(g => g.Key).Select(g => CampaignTally.Of(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g))]);
}
