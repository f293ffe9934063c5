using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;
using Prepay.Storage;

namespace Prepay.Server.Web.Pos;

/// <summary>A meter found by number or by site and unit, with where it is and whose it is, for a clerk to confirm.</summary>
public sealed record FoundMeter(string MeterNumber, MeterMode Mode, string Currency, long ResolutionWh, Guid MeterId, string? Site, string? Unit, string? CustomerName);

/// <summary>Looks a meter up the way a customer names it at the counter: its number, or its site code and unit label.</summary>
public static class MeterLookup
{
    public static async Task<FoundMeter?> FindAsync(PrepayDb db, string? meterNumber, string? site, string? unit, CancellationToken ct)
    {
        var query =
            from m in db.Meters.AsNoTracking()
            join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on m.Id equals i.MeterId into installs
            from i in installs.DefaultIfEmpty()
            join p in db.Premises on i.PremisesId equals p.Id into premises
            from p in premises.DefaultIfEmpty()
            join s in db.Sites on p.SiteId equals s.Id into sites
            from s in sites.DefaultIfEmpty()
            join c in db.Customers on p.CustomerId equals c.Id into customers
            from c in customers.DefaultIfEmpty()
            select new { m.MeterNumber, m.Mode, m.Currency, m.ResolutionWh, MeterId = m.Id, Site = s.Code, Unit = p.Label, CustomerName = c.Name };
        if (!string.IsNullOrWhiteSpace(meterNumber))
        {
            var number = meterNumber.Trim();
            query = query.Where(x => x.MeterNumber == number);
        }
        else if (string.IsNullOrWhiteSpace(site) || string.IsNullOrWhiteSpace(unit))
        {
            return null;
        }
        else
        {
            var siteCode = site.Trim().ToUpperInvariant();
            var label = unit.Trim().ToUpperInvariant();
            query = query.Where(x => x.Site == siteCode && x.Unit == label);
        }
        return await query
            .Select(x => new FoundMeter(x.MeterNumber, x.Mode, x.Currency, x.ResolutionWh, x.MeterId, x.Site, x.Unit, x.CustomerName))
            .FirstOrDefaultAsync(ct);
    }
}
