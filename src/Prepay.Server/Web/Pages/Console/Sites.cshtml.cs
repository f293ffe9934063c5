using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Prepay.Domain.Sites;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>Sites and, for the one chosen, its premises with their customers and meters.</summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class SitesModel(PrepayDb db) : PageModel
{
    public sealed record SiteRow(string Code, string Name, string Kind, int Premises, int Occupied);

    public sealed record PremisesRow(string Label, string? Customer, string? Meter);

    [BindProperty(SupportsGet = true, Name = "site")]
    public string? Selected { get; set; }

    public IReadOnlyList<SiteRow> Sites { get; private set; } = [];

    public SiteRow? Site { get; private set; }

    public IReadOnlyList<PremisesRow> Premises { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var sites = await db.Sites.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct);
        var counts = await db.Premises.AsNoTracking().GroupBy(p => p.SiteId)
            .Select(g => new { SiteId = g.Key, Premises = g.Count(), Occupied = g.Count(p => p.CustomerId != null) }).ToListAsync(ct);
        Sites = [.. sites.Select(s =>
        {
            var c = counts.FirstOrDefault(x => x.SiteId == s.Id);
            return new SiteRow(s.Code, s.Name, KindText(s.Kind), c?.Premises ?? 0, c?.Occupied ?? 0);
        })];
        var chosen = sites.FirstOrDefault(s => s.Code == Selected);
        if (chosen is null)
        {
            return;
        }
        Site = Sites.First(s => s.Code == chosen.Code);
        Premises = await (from p in db.Premises.AsNoTracking()
                          where p.SiteId == chosen.Id
                          join c in db.Customers on p.CustomerId equals c.Id into cs
                          from c in cs.DefaultIfEmpty()
                          join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on p.Id equals i.PremisesId into installs
                          from i in installs.DefaultIfEmpty()
                          join m in db.Meters on i.MeterId equals m.Id into meters
                          from m in meters.DefaultIfEmpty()
                          orderby p.Label
                          select new PremisesRow(p.Label, c.Name, m.MeterNumber)).ToListAsync(ct);
    }

    public static string KindText(SiteKind kind) => kind switch
    {
        SiteKind.ResidentialCommunity => "Residential community",
        SiteKind.Dormitory => "Dormitory",
        SiteKind.ShoppingCentre => "Shopping centre",
        SiteKind.IndustrialPark => "Industrial park",
        _ => "Other",
    };
}
