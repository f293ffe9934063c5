using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>Customers with where they live and their meters, searchable by name, phone or e-mail.</summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class CustomersModel(PrepayDb db) : PageModel
{
    public const int PageSize = 50;

    public sealed record Row(string Name, string? Phone, string? Email, bool Indigent, bool Protected, IReadOnlyList<(string Place, string? Meter)> Homes);

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool HasMore { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        var q = db.Customers.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var text = Query.Trim();
            q = q.Where(c => c.Name.Contains(text) || (c.Phone != null && c.Phone.Contains(text)) || (c.Email != null && c.Email.Contains(text)));
        }
        var customers = await q.OrderBy(c => c.Name).ThenBy(c => c.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasMore = customers.Count > PageSize;
        customers = [.. customers.Take(PageSize)];
        var ids = customers.Select(c => c.Id).ToList();
        var homes = await (from p in db.Premises.AsNoTracking()
                           where p.CustomerId != null && ids.Contains(p.CustomerId.Value)
                           join s in db.Sites on p.SiteId equals s.Id
                           join i in db.MeterInstallations.Where(i => i.RemovedAt == null) on p.Id equals i.PremisesId into installs
                           from i in installs.DefaultIfEmpty()
                           join m in db.Meters on i.MeterId equals m.Id into meters
                           from m in meters.DefaultIfEmpty()
                           select new { CustomerId = p.CustomerId!.Value, Place = s.Code + " " + p.Label, Meter = m.MeterNumber }).ToListAsync(ct);
        Rows = [.. customers.Select(c => new Row(c.Name, c.Phone, c.Email, c.Indigent, c.Protected,
            [.. homes.Where(h => h.CustomerId == c.Id).Select(h => (h.Place, (string?)h.Meter))]))];
    }
}
