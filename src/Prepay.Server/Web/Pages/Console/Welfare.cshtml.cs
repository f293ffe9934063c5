using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Reports.Welfare;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Households going without (docs/reports.md, welfare): each signal with its evidence, an offer of help sent on an
/// operator's word to the customer's email and SMS, and the last twelve months' self-disconnections per site.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class WelfareModel(PrepayDb db, IClock clock, OperatorZone zones, WelfareSignals signals, WelfareOutreach outreach) : PageModel
{
    [FromQuery(Name = "offDays")]
    public int OffDays { get; set; } = 3;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public IReadOnlyList<WelfareSignal> Signals { get; private set; } = [];

    public IReadOnlyList<SelfDisconnectionCount> Disconnections { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostOutreachAsync(Guid customerId, string? message, CancellationToken ct)
    {
        switch (await outreach.SendAsync(new OutreachInput(customerId, message), StaffActor.AuditName(User), ct))
        {
            case OutreachOutcome.Queued q:
                Message = $"An offer of help is on its way by {string.Join(" and ", q.Channels)}.";
                break;
            case OutreachOutcome.AlreadySentToday:
                Error = "An offer of help went to this household today already.";
                break;
            case OutreachOutcome.NoChannel:
                Error = "This customer has no email address or phone to reach them by: call on them.";
                break;
            case OutreachOutcome.CustomerNotFound:
                Error = "There is no such customer.";
                break;
            case OutreachOutcome.Invalid i:
                Error = $"{i.Field}: {i.Problem}";
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
        OffDays = OffDays is < 1 or > 365 ? 3 : OffDays;
        Signals = await signals.ListAsync(OffDays, ct);
        var month = YearMonth(clock.GetCurrentInstant().InUtc().Date);
        Disconnections = await signals.SelfDisconnectionsAsync(month.PlusMonths(-11), month, ct);
    }

    private static YearMonth YearMonth(LocalDate d) => new(d.Year, d.Month);
}
