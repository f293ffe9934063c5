using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Server.Web.Pos;

/// <summary>A meter found by number or by site and unit, with where it is and whose it is, for a clerk to confirm.</summary>
public sealed record FoundMeter(string MeterNumber, MeterMode Mode, string Currency, long ResolutionWh, Guid MeterId, string? Site, string? Unit, string? CustomerName);

/// <summary>Looks a meter up the way a customer names it at the counter: its number, or its site code and unit label.</summary>
public static class MeterLookup
{
    public static async Task<FoundMeter?> FindAsync(PrepayDb db, string? meterNumber, string? site, string? unit, CancellationToken ct)
    {
        var query = MeterPlacements.Current(db);
        if (!string.IsNullOrWhiteSpace(meterNumber))
        {
            var number = meterNumber.Trim();
            query = query.Where(x => x.Meter.MeterNumber == number);
        }
        else if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(unit))
        {
            return null;
        }
        else
        {
            // As typed, or upper case: codes and labels are usually stored so ("SUNRISE", "A-101"), and people type "sunrise a-101".
            var (siteCode, siteUpper) = (site.Trim(), site.Trim().ToUpperInvariant());
            var (label, labelUpper) = (unit.Trim(), unit.Trim().ToUpperInvariant());
            query = query.Where(x => (x.SiteCode == siteCode || x.SiteCode == siteUpper) && (x.UnitLabel == label || x.UnitLabel == labelUpper));
        }
        var row = await query.FirstOrDefaultAsync(ct);
        return row is null ? null
            : new FoundMeter(row.Meter.MeterNumber, row.Meter.Mode, row.Meter.Currency, row.Meter.ResolutionWh, row.Meter.Id, row.SiteCode, row.UnitLabel, row.CustomerName);
    }
}
