using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// The audit log, newest first, filtered by action, actor, target (each "starts with") and a range of UTC dates, a
/// page at a time. Pages follow record ids ("older than id N"), so new records arriving do not shift what is shown.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class AuditModel(PrepayDb db, OperatorZone zones) : PageModel
{
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public const int PageSize = 50;
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    public sealed record Row(long Id, Instant At, string Actor, string Action, string Target, string? Details);

    [BindProperty(SupportsGet = true)]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Actor { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Target { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public long? Older { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        var q = db.Audit.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Action))
        {
            var a = Action.Trim();
            q = q.Where(r => r.Action.StartsWith(a));
        }
        if (!string.IsNullOrWhiteSpace(Actor))
        {
            var a = Actor.Trim();
            q = q.Where(r => r.Actor.StartsWith(a));
        }
        if (!string.IsNullOrWhiteSpace(Target))
        {
            var t = Target.Trim();
            q = q.Where(r => r.Target.StartsWith(t));
        }
        if (!string.IsNullOrWhiteSpace(From))
        {
            if (Date.Parse(From.Trim()) is { Success: true } f)
            {
                var start = f.Value.AtStartOfDayInZone(Zone).ToInstant();
                q = q.Where(r => r.At >= start);
            }
            else
            {
                Error = "Dates are written 2026-11-23.";
            }
        }
        if (!string.IsNullOrWhiteSpace(To))
        {
            if (Date.Parse(To.Trim()) is { Success: true } t)
            {
                var end = t.Value.PlusDays(1).AtStartOfDayInZone(Zone).ToInstant();
                q = q.Where(r => r.At < end);
            }
            else
            {
                Error = "Dates are written 2026-11-23.";
            }
        }
        if (Before is { } before)
        {
            q = q.Where(r => r.Id < before);
        }
        if (Error is not null)
        {
            return;
        }
        var rows = await q.OrderByDescending(r => r.Id).Take(PageSize + 1)
            .Select(r => new Row(r.Id, r.At, r.Actor, r.Action, r.Target, r.Details)).ToListAsync(ct);
        Rows = [.. rows.Take(PageSize)];
        Older = rows.Count > PageSize ? Rows[^1].Id : null;
    }

    /// <summary>This page's filters with another <c>before</c>, for the pager's links.</summary>
    public string Link(long? before) => "/console/audit" + QueryString.Create(new Dictionary<string, string?>
    {
        ["Action"] = Action, ["Actor"] = Actor, ["Target"] = Target, ["From"] = From, ["To"] = To,
        ["Before"] = before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(p => !string.IsNullOrWhiteSpace(p.Value)));
}
