using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Storage;

namespace Prepay.Catalog.Imports;

/// <summary>
/// Every meter installed now, as an installations file (<see cref="InstallationsCsv"/>): the same columns, so that an
/// export imported into the same catalog changes nothing and into an empty one makes the same sites, units, customers
/// and meters. Ordered by site and unit. The opening balance columns are left empty: a balance is the ledger's, not a
/// catalog fact, and an export read into another catalog must not ask for money by surprise (empty asks for nothing).
/// </summary>
public sealed class CatalogExport(IServiceScopeFactory scopes, IClock clock)
{
    public async Task WriteAsync(TextWriter text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(text);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var rows = await (from i in db.MeterInstallations.AsNoTracking()
                          join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
                          join s in db.Sites.AsNoTracking() on p.SiteId equals s.Id
                          join m in db.Meters.AsNoTracking() on i.MeterId equals m.Id
                          join c in db.Customers.AsNoTracking() on p.CustomerId equals c.Id into cs
                          from c in cs.DefaultIfEmpty()
                          where i.RemovedAt == null
                          orderby s.Code, p.Label
                          select new { Site = s.Code, SiteName = s.Name, s.Kind, p.Label, Customer = c == null ? null : c.Name, Phone = c == null ? null : c.Phone, Email = c == null ? null : c.Email, Meter = m })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.Meter.Id).ToList();
        var tariffOf = (await db.TariffAssignments.AsNoTracking().Where(a => ids.Contains(a.MeterId) && a.EffectiveFrom <= now).ToListAsync(ct))
            .GroupBy(a => a.MeterId).ToDictionary(g => g.Key, g => g.OrderByDescending(a => a.EffectiveFrom).First().TariffCode);
        using var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteHeader([.. InstallationsCsv.Columns]);
        foreach (var r in rows)
        {
            var m = r.Meter;
            var sts = m.Mode == MeterMode.Token || m.HasStsDecoder;
            csv.WriteRecord([
                r.Site, r.SiteName, r.Kind.ToString(), r.Label, r.Customer ?? "", r.Phone ?? "", r.Email ?? "",
                m.MeterNumber, m.Mode.ToString().ToLowerInvariant(), m.Currency, tariffOf.GetValueOrDefault(m.Id) ?? "",
                sts ? m.SupplyGroupCode.ToString(CultureInfo.InvariantCulture) : "", sts ? m.KeyRevisionNumber.ToString(CultureInfo.InvariantCulture) : "",
                sts ? m.TariffIndex.ToString(CultureInfo.InvariantCulture) : "", sts ? m.EncryptionAlgorithm.ToString() : "",
                sts ? ((int)m.BaseDate).ToString(CultureInfo.InvariantCulture) : "",
                "", "",
            ]);
        }
    }
}
