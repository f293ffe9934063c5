using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Alerts.Operators;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Meters' abnormal voltage, overload, outage and tamper alerts, newest first: the open ones by default, each to be
/// acknowledged (with an optional note for the audit log) by the operator who takes it in hand.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class AlertsModel(PrepayDb db, IClock clock, OperatorZone zones) : PageModel
{
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public const int Rows = 200;

    /// <summary>Show acknowledged alerts as well as open ones.</summary>
    [FromQuery(Name = "all")]
    public bool All { get; set; }

    public IReadOnlyList<OperatorAlert> Alerts { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, string? note, CancellationToken ct)
    {
        switch (await OperatorAlertAcknowledgements.AcknowledgeAsync(db, id, StaffActor.AuditName(User), note, clock.GetCurrentInstant(), ct))
        {
            case AcknowledgeOutcome.Done d:
                Message = $"Acknowledged: {d.Alert.Type} on meter {d.Alert.MeterNumber}.";
                break;
            case AcknowledgeOutcome.AlreadyAcknowledged a:
                Error = $"{a.Alert.AcknowledgedBy} acknowledged that alert already.";
                break;
            case AcknowledgeOutcome.Invalid i:
                Error = $"{i.Field}: {i.Message}";
                break;
            case AcknowledgeOutcome.NotFound:
                Error = "No such alert.";
                break;
            default:
                throw new InvalidOperationException("Unhandled acknowledgement outcome.");
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        var q = db.OperatorAlerts.AsNoTracking();
        if (!All)
        {
            q = q.Where(a => a.AcknowledgedAt == null);
        }
        Alerts = await q.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(Rows).ToListAsync(ct);
    }
}
