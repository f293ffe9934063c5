using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Findings;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Revenue protection's findings (docs/revenue-protection.md): filtered by kind, state (open and under investigation by
/// default), site and meter, each with its evidence, moved on with a reason. With a site, its meters first, each with
/// the kinds of finding open on it: the site seen without a map.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class FindingsModel(PrepayDb db, FindingQueries queries, FindingStates states, OperatorZone zones) : PageModel
{
    public const int Rows = 300;

    public static IReadOnlyList<string> States { get; } = ["active", "open", "investigating", "confirmed", "dismissed"];

    public static IReadOnlyList<string> Kinds { get; } =
        [.. Enum.GetValues<RevenueProtection.Findings.FindingKind>().Select(k => FindingsRun.Name(k))];

    [FromQuery(Name = "kind")]
    public string? Kind { get; set; }

    [FromQuery(Name = "state")]
    public string? State { get; set; }

    [FromQuery(Name = "site")]
    public string? Site { get; set; }

    [FromQuery(Name = "meter")]
    public string? Meter { get; set; }

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public IReadOnlyList<FindingView> Findings { get; private set; } = [];

    /// <summary>With a site: each of its meters with findings in the list, and their kinds.</summary>
    public IReadOnlyList<(string Meter, IReadOnlyList<string> Kinds)> SiteMeters { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostMoveAsync(long id, string? to, string? reason, CancellationToken ct)
    {
        switch (await states.MoveAsync(id, to, reason, StaffActor.AuditName(User), ct))
        {
            case FindingMove.Moved m:
                Message = $"Finding {m.Finding.Id} ({m.Finding.Kind}) is now {m.Finding.State}.";
                break;
            case FindingMove.Conflict c:
                Error = c.Detail;
                break;
            case FindingMove.Invalid i:
                Error = $"{i.Field}: {i.Problem}";
                break;
            case FindingMove.NotFound n:
                Error = n.Detail;
                break;
            case var other:
                throw new InvalidOperationException($"Unhandled outcome {other}");
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        State = States.Contains(State) ? State : "active";
        Kind = Kinds.Contains(Kind) ? Kind : null;
        Site = string.IsNullOrWhiteSpace(Site) ? null : Site.Trim();
        Meter = string.IsNullOrWhiteSpace(Meter) ? null : Meter.Trim();
        Findings = await queries.ListAsync(new FindingFilter(Kind, State, Site, Meter, Rows), ct);
        SiteMeters = Site is null ? [] :
            [.. Findings.Where(f => f.Meter is not null).GroupBy(f => f.Meter!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(f => f.Kind).Distinct().Order(StringComparer.Ordinal)]))];
    }
}
