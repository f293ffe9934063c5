using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// The fleet overview: meters online, offline, disconnected and low on credit, open alerts by kind, and the meters
/// that need someone. The page is drawn complete; its script then asks <c>?handler=Overview</c> every few seconds
/// and redraws the numbers and the list without reloading.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class IndexModel(FleetOverview overview, OperatorZone zones, PrepayDb db) : PageModel
{
    public FleetSnapshot Snapshot { get; private set; } = null!;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        Snapshot = await overview.ReadAsync(ct);
    }

    public async Task<IActionResult> OnGetOverviewAsync(CancellationToken ct) =>
        new JsonResult(OverviewJson.From(await overview.ReadAsync(ct), await zones.ZoneAsync(db, ct)));
}

/// <summary>The overview as its script reads it: texts ready to show.</summary>
public sealed record OverviewJson(string At, int Meters, int Online, int Offline, int NeverHeard, int Disconnected, int LowCredit,
    IReadOnlyList<AlertCount> Alerts, IReadOnlyList<OverviewJson.Row> Attention)
{
    public sealed record Row(string MeterNumber, string Place, string Customer, string Reasons, string Relay, string Credit, string LastSeen);

    public static OverviewJson From(FleetSnapshot s, DateTimeZone zone) => new(ConsoleFormat.AtSecond(s.At, zone), s.Meters, s.Online, s.Offline, s.NeverHeard, s.Disconnected, s.LowCredit, s.Alerts,
        [.. s.Attention.Select(a => new Row(a.MeterNumber, $"{a.Site} {a.Unit}".Trim(), a.Customer ?? "", string.Join(", ", a.Reasons), a.Relay, a.Credit, ConsoleFormat.At(a.LastSeenAt, zone)))]);
}
