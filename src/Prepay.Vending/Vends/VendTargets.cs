using Microsoft.EntityFrameworkCore;
using Prepay.Storage;

namespace Prepay.Vending.Vends;

/// <summary>Finds the meter a vend names, by meter number or by site code and unit label ("recharge by room number").</summary>
internal static class VendTargets
{
    public static Task<(VendTarget? Target, VendOutcome? Failure)> ResolveAsync(PrepayDb db, VendCommand cmd, CancellationToken ct) =>
        ResolveAsync(db, cmd.MeterNumber, cmd.Site, cmd.Unit, ct);

    public static async Task<(VendTarget? Target, VendOutcome? Failure)> ResolveAsync(PrepayDb db, Domain.Metering.MeterNumber? meterNumber, string? site, string? unit, CancellationToken ct)
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
            select new { Meter = m, Site = s.Code, Unit = p.Label, CustomerId = (Guid?)c.Id, CustomerName = c.Name };

        var row = meterNumber is { } number
            ? await query.FirstOrDefaultAsync(x => x.Meter.MeterNumber == number.Value, ct)
            : await query.FirstOrDefaultAsync(x => x.Site == site && x.Unit == unit, ct);

        if (row is null)
        {
            return (null, new VendOutcome.NotFound(meterNumber is { } n
                ? $"No meter with number '{n}'."
                : $"No meter installed at unit '{unit}' of site '{site}'."));
        }
        if (row.CustomerId is not { } customerId)
        {
            return (null, new VendOutcome.Unprocessable("no-customer",
                $"Meter '{row.Meter.MeterNumber}' is not installed at premises with a customer; nobody's account can be credited."));
        }
        return (new VendTarget(row.Meter, customerId, row.CustomerName, row.Site, row.Unit), null);
    }
}
