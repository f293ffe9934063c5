using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Vending.Campaigns;

namespace Prepay.Server.Web.Pages.Operations.Campaigns;

/// <summary>
/// Key change campaigns, newest first, with their progress, and the form that plans one through
/// <see cref="KeyChangeCampaigns.PlanAsync"/>. The page only turns the form's text into the use case's input (numbers,
/// the start as an instant from the console's local time, the one scope filled in); the use case decides the rest.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class IndexModel(PrepayDb db, IClock clock, KeyChangeCampaigns campaigns, OperatorZone zones) : PageModel
{
    public const int Rows = 50;

    /// <summary>How a datetime-local field writes its value; browsers add seconds only when asked to.</summary>
    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu-MM-dd'T'HH:mm:ss"),
    ];

    /// <summary>What each of the use case's (and this form's) error keys is called on the form.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["name"] = "Name",
        ["reason"] = "Reason",
        ["toKeyRevisionNumber"] = "New key revision",
        ["toSupplyGroupCode"] = "New supply group code",
        ["toTariffIndex"] = "New tariff index",
        ["toBaseDate"] = "New base date",
        ["startsAt"] = "Start",
        ["meters"] = "The meters chosen",
        ["supplyGroupCode"] = "Supply group code",
        ["site"] = "Site code",
        ["meterNumbers"] = "Meter numbers",
    };

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public IReadOnlyList<CampaignView> Campaigns { get; private set; } = [];

    public IReadOnlyList<string> SiteCodes { get; private set; } = [];

    /// <summary>Field errors by key, from the form's own parsing or the use case's <see cref="CampaignOutcome.Invalid"/>.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>A refusal of the campaign as a whole (<see cref="CampaignOutcome.Conflict"/>).</summary>
    public string? Refusal { get; private set; }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ToKeyRevisionNumber { get; set; }
    [BindProperty] public string? ToSupplyGroupCode { get; set; }
    [BindProperty] public string? ToTariffIndex { get; set; }
    [BindProperty] public string? ToBaseDate { get; set; }

    /// <summary>Local date and time in <see cref="Zone"/>, as a datetime-local field writes it; empty starts now.</summary>
    [BindProperty] public string? StartsAt { get; set; }

    [BindProperty] public string? SupplyGroupCode { get; set; }
    [BindProperty] public string? Site { get; set; }

    /// <summary>One meter number a line.</summary>
    [BindProperty] public string? MeterNumbers { get; set; }

    public string? ErrorFor(string key) =>
        Errors.TryGetValue(key, out var messages) ? $"{FieldNames.GetValueOrDefault(key, key)} {string.Join("; ", messages)}." : null;

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        StartsAt = LocalPatterns[0].Format(clock.GetCurrentInstant().InZone(Zone).LocalDateTime);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var input = new CampaignInput(
            Name, Reason,
            Number(ToKeyRevisionNumber, "toKeyRevisionNumber", errors),
            Number(ToSupplyGroupCode, "toSupplyGroupCode", errors),
            Number(ToTariffIndex, "toTariffIndex", errors),
            Number(ToBaseDate, "toBaseDate", errors),
            Start(errors),
            Number(SupplyGroupCode, "supplyGroupCode", errors),
            string.IsNullOrWhiteSpace(Site) ? null : Site.Trim(),
            Lines(MeterNumbers));
        if (errors.Count > 0)
        {
            // Text that is not what the field asks for is not guessed at: nothing is planned until it is fixed.
            Errors = errors;
            return Page();
        }
        switch (await campaigns.PlanAsync(db, input, StaffActor.AuditName(User), ct))
        {
            case CampaignOutcome.Planned p:
                return RedirectToPage("Campaign", new { id = p.Campaign.Id, done = "planned" });
            case CampaignOutcome.Invalid i:
                Errors = i.Errors;
                break;
            case CampaignOutcome.Conflict c:
                Refusal = c.Detail;
                break;
            case CampaignOutcome.NotFound n:
                Refusal = n.Detail;
                break;
            case var other:
                throw new InvalidOperationException($"Unhandled outcome {other}");
        }
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        SiteCodes = await db.Sites.AsNoTracking().OrderBy(s => s.Code).Select(s => s.Code).ToListAsync(ct);
        var ids = await db.KeyChangeCampaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).Select(c => c.Id).Take(Rows).ToListAsync(ct);
        var views = new List<CampaignView>(ids.Count);
        foreach (var id in ids)
        {
            if (await CampaignProgress.ReadAsync(db, id, ct) is { } view)
            {
                views.Add(view);
            }
        }
        Campaigns = views;
    }

    /// <summary>
    /// The start as an instant: the local time read in the console's zone. A time the clocks skip (a DST gap) starts
    /// when they jump; a time they pass twice starts the first time: leniently, as a person reading a wall clock means.
    /// </summary>
    private Instant? Start(Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(StartsAt))
        {
            return null;
        }
        foreach (var pattern in LocalPatterns)
        {
            if (pattern.Parse(StartsAt.Trim()) is { Success: true } local)
            {
                return Zone.AtLeniently(local.Value).ToInstant();
            }
        }
        errors["startsAt"] = ["is a date and time, e.g. 2026-12-01T06:00"];
        return null;
    }

    private static int? Number(string? text, string key, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }
        errors[key] = ["is a whole number"];
        return null;
    }

    private static List<string>? Lines(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : [.. text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
