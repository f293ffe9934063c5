using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Metering;

namespace Prepay.Storage.Queries;

/// <summary>A meter with where it is installed now (site and unit) and whose premises that is.</summary>
public sealed class MeterPlacement
{
    public required Meter Meter { get; init; }
    public string? SiteCode { get; init; }
    public string? UnitLabel { get; init; }
    public Guid? CustomerId { get; init; }
    public string? CustomerName { get; init; }

    /// <summary>When the customer's tenancy of these premises began: what they see of the meter starts here.</summary>
    public NodaTime.Instant? CustomerSince { get; init; }
}

public static class MeterPlacements
{
    /// <summary>
    /// Every meter with its open installation, premises, site and customer (each may be missing). Projected by
    /// member initialisation, so callers can still filter on any member and EF Core translates it to SQL.
    /// </summary>
    public static IQueryable<MeterPlacement> Current(PrepayDb db) =>
        from m in db.Meters.AsNoTracking()
        join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on m.Id equals i.MeterId into installs
        from i in installs.DefaultIfEmpty()
        join p in db.Premises on i.PremisesId equals p.Id into premises
        from p in premises.DefaultIfEmpty()
        join s in db.Sites on p.SiteId equals s.Id into sites
        from s in sites.DefaultIfEmpty()
        join c in db.Customers on p.CustomerId equals c.Id into customers
        from c in customers.DefaultIfEmpty()
        select new MeterPlacement { Meter = m, SiteCode = s.Code, UnitLabel = p.Label, CustomerId = (Guid?)c.Id, CustomerName = c.Name, CustomerSince = p.CustomerSince };
}
