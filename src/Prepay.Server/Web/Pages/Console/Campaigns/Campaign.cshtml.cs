using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Vending.Campaigns;

namespace Prepay.Server.Web.Pages.Operations.Campaigns;

/// <summary>
/// One key change campaign: what it does, its progress by site and by supply group (drawn as SVG and written as
/// tables), its meters (filtered by state), the meters still to visit as CSV, and the operator's actions, each
/// through <see cref="KeyChangeCampaigns"/> with a reason for the audit log: pause and resume the campaign, confirm
/// a keypad meter seen holding its new key, issue a meter's key change tokens again.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class CampaignModel(PrepayDb db, KeyChangeCampaigns campaigns, OperatorZone zones) : PageModel
{
    /// <summary>Meters listed at most; the CSV and the state filter reach the rest.</summary>
    public const int Rows = 500;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public CampaignView Campaign { get; private set; } = null!;

    public IReadOnlyList<CampaignMeterView> Meters { get; private set; } = [];

    /// <summary>Meters in the state shown, before <see cref="Rows"/> cut the list.</summary>
    public int Matching { get; private set; }

    /// <summary>The meters' state to show (planned, issued, delivered, confirmed, failed); all when absent or unknown.</summary>
    [FromQuery(Name = "state")]
    public string? State { get; set; }

    public CampaignMeterState? Shown { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    /// <summary>A keypad meter's key change tokens issued again, to hand over in this order.</summary>
    public CampaignOutcome.Reissued? Reissued { get; private set; }

    public bool IsPaused => Campaign.State == "paused";

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (done == "planned")
        {
            Message = "Campaign planned.";
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    /// <summary>The meters not yet confirmed or delivered, for field agents (RFC 4180, as the API gives it).</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null)
        {
            return NotFound();
        }
        var csv = CampaignCsv.StillToVisit(await CampaignProgress.MetersAsync(db, campaign, ct));
        return File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"campaign-{id:N}-still-to-visit.csv");
    }

    public Task<IActionResult> OnPostPauseAsync(Guid id, string? reason, CancellationToken ct) =>
        ActAsync(id, campaigns.PauseAsync(db, id, reason, StaffActor.AuditName(User), ct),
            "The campaign is paused: meters not yet issued get no key change until it resumes.", ct);

    public Task<IActionResult> OnPostResumeAsync(Guid id, string? reason, CancellationToken ct) =>
        ActAsync(id, campaigns.ResumeAsync(db, id, reason, StaffActor.AuditName(User), ct), "The campaign is active again.", ct);

    public Task<IActionResult> OnPostConfirmAsync(Guid id, string? meterNumber, string? reason, CancellationToken ct) =>
        ActAsync(id, campaigns.ConfirmAsync(db, id, meterNumber ?? "", reason, StaffActor.AuditName(User), ct), $"Meter {meterNumber} is confirmed on its new key.", ct);

    public Task<IActionResult> OnPostReissueAsync(Guid id, string? meterNumber, string? reason, CancellationToken ct) =>
        ActAsync(id, campaigns.ReissueAsync(db, id, meterNumber ?? "", reason, StaffActor.AuditName(User), ct), null, ct);

    private async Task<IActionResult> ActAsync(Guid id, Task<CampaignOutcome> action, string? done, CancellationToken ct)
    {
        switch (await action)
        {
            case CampaignOutcome.Changed:
                Message = done;
                break;
            case CampaignOutcome.Reissued r when r.QueuedForDelivery:
                Message = $"Meter {r.MeterNumber}'s key change tokens are queued for delivery again.";
                break;
            case CampaignOutcome.Reissued r:
                Message = $"Meter {r.MeterNumber}'s key change tokens, to hand over again:";
                Reissued = r;
                break;
            case CampaignOutcome.Invalid i:
                Error = string.Join(" ", i.Errors.Select(e => $"{Capitalised(e.Key)} {string.Join("; ", e.Value)}."));
                break;
            case CampaignOutcome.Conflict c:
                Error = c.Detail;
                break;
            case CampaignOutcome.NotFound n:
                Error = n.Detail;
                break;
            case var other:
                throw new InvalidOperationException($"Unhandled outcome {other}");
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var campaign = await db.KeyChangeCampaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null || await CampaignProgress.ReadAsync(db, id, ct) is not { } view)
        {
            return false;
        }
        Campaign = view;
        Zone = await zones.ZoneAsync(db, ct);
        if (State is not null && Enum.TryParse<CampaignMeterState>(State, ignoreCase: true, out var parsed) && !int.TryParse(State, out _))
        {
            Shown = parsed;
        }
        var meters = (await CampaignProgress.MetersAsync(db, campaign, ct)).Where(m => Shown is not { } s || m.State == s).ToList();
        Matching = meters.Count;
        Meters = meters.Count > Rows ? meters[..Rows] : meters;
        return true;
    }

    private static string Capitalised(string key) => key.Length == 0 ? key : char.ToUpperInvariant(key[0]) + key[1..];
}
