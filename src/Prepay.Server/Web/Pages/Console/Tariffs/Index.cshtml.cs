using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Tariffs.Documents;

namespace Prepay.Server.Web.Pages.Operations.Tariffs;

/// <summary>Every tariff's latest version, and how many meters are priced by it now.</summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class IndexModel(PrepayDb db, IClock clock) : PageModel
{
    public sealed record Row(string Code, string Name, int Version, LocalDate EffectiveFrom, string Currency, int Versions, int Meters);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var versions = await db.Tariffs.AsNoTracking().OrderBy(t => t.Code).ThenBy(t => t.Version).ToListAsync(ct);
        var current = await db.TariffAssignments.AsNoTracking().Where(a => a.EffectiveFrom <= now)
            .GroupBy(a => a.MeterId).Select(g => g.OrderByDescending(a => a.EffectiveFrom).Select(a => a.TariffCode).First()).ToListAsync(ct);
        Rows = [.. versions.GroupBy(t => t.Code).Select(g =>
        {
            var last = g.Last();
            return new Row(last.Code, TariffDocumentJson.Parse(last.Document).Name, last.Version, last.EffectiveFrom, last.Currency, g.Count(), current.Count(c => c == last.Code));
        })];
    }
}
