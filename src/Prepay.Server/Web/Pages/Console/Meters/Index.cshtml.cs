using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Server.Web.Pages.Operations.Meters;

/// <summary>Meters with where they are, whose they are and what the head-end last heard, searchable by number, site or customer.</summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class IndexModel(PrepayDb db, OperatorZone zones) : PageModel
{
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public const int PageSize = 50;

    public sealed record Row(string MeterNumber, string Mode, string? Site, string? Unit, string? Customer, bool Online, string Relay, string Credit, Instant? LastSeenAt);

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public bool HasMore { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        PageNumber = Math.Max(1, PageNumber);
        Zone = await zones.ZoneAsync(db, ct);
        var q = MeterPlacements.Current(db);
        if (!string.IsNullOrWhiteSpace(Query))
        {
            var text = Query.Trim();
            var upper = text.ToUpperInvariant();
            q = q.Where(x => x.Meter.MeterNumber.StartsWith(text) || x.SiteCode == upper || x.UnitLabel == upper || (x.CustomerName != null && x.CustomerName.Contains(text)));
        }
        var rows = await (from x in q
                          join s in db.MeterStatus on x.Meter.Id equals s.MeterId into ss
                          from s in ss.DefaultIfEmpty()
                          orderby x.Meter.MeterNumber
                          select new { x.Meter.MeterNumber, x.Meter.Mode, x.SiteCode, x.UnitLabel, x.CustomerName, Online = (bool?)s.Online, s.Relay, s.CreditWh, LastSeenAt = (Instant?)s.LastSeenAt })
            .Skip((PageNumber - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        HasMore = rows.Count > PageSize;
        Rows = [.. rows.Take(PageSize).Select(r => new Row(r.MeterNumber, r.Mode.ToString().ToLowerInvariant(), r.SiteCode, r.UnitLabel, r.CustomerName,
            r.Online ?? false, FleetOverview.RelayText(r.Relay), FleetOverview.CreditText(r.CreditWh), r.LastSeenAt))];
    }
}
