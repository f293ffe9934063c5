extern alias virtualmeters;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Vending.Approvals;
using virtualmeters::Prepay.Meter.Devices;

namespace Prepay.Server.Web.Pages.Operations.Meters;

/// <summary>
/// One meter: where it is and whose, its status, a chart of the last day's readings, its events and the commands sent
/// to it with their states, all refreshed by the page's script (<c>?handler=Live</c>). Operators send connect,
/// disconnect and read-now commands through the head-end's queue with a reason, audited as the API does. Credit is
/// only ever sold: an administrator's "add credit" asks for goodwill credit, a vend from the goodwill float within its
/// monthly budget, made when a second administrator approves it (<c>Approvals/GoodwillCredits</c>).
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class MeterModel(PrepayDb db, IClock clock, CommandDispatcher dispatcher, GoodwillCredits goodwill, VirtualMeterRegistry devices, OperatorZone zones) : PageModel
{
    /// <summary>The commands an operator may send from this page, with what the button says.</summary>
    public static readonly IReadOnlyList<(string Type, string Label, MeterCommand Command)> Commands =
    [
        (CommandTypes.Connect, "Connect", new Connect()),
        (CommandTypes.Disconnect, "Disconnect", new Disconnect()),
        (CommandTypes.ReadNow, "Read now", new ReadNow()),
    ];

    public const int MaxReasonLength = 500;

    public MeterPlacement Placement { get; private set; } = null!;

    public string? TariffCode { get; private set; }

    public MeterActivity Activity { get; private set; } = null!;

    public bool IsSimulated { get; private set; }

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    [BindProperty]
    public string? CommandType { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    public bool IsAdmin => StaffActor.IsAdmin(User);

    public async Task<IActionResult> OnGetAsync(string meterNumber, CancellationToken ct) => await LoadAsync(meterNumber, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetLiveAsync(string meterNumber, CancellationToken ct) =>
        await MeterActivity.ReadAsync(db, clock, await zones.ZoneAsync(db, ct), meterNumber, ct) is { } activity ? new JsonResult(activity) : NotFound();

    public async Task<IActionResult> OnPostCommandAsync(string meterNumber, CancellationToken ct)
    {
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        var command = Commands.FirstOrDefault(c => c.Type == CommandType);
        if (command.Type is null)
        {
            Error = "Choose connect, disconnect or read now.";
            return Page();
        }
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > MaxReasonLength)
        {
            Error = $"Give a reason (at most {MaxReasonLength} characters): it is kept in the audit log.";
            return Page();
        }
        var reason = Reason.Trim();
        var now = clock.GetCurrentInstant();
        CommandQueue.Enqueue(db, Placement.Meter.Id, Placement.Meter.MeterNumber, command.Command, now, "operator: " + reason);
        db.Audit.Add(new AuditRecord { At = now, Actor = StaffActor.AuditName(User), Action = "meter.command", Target = $"meter/{meterNumber}", Details = $"{command.Type}: {reason}" });
        await db.SaveChangesAsync(ct);
        dispatcher.Wake();
        return RedirectToPage(new { meterNumber, sent = command.Type });
    }

    public async Task<IActionResult> OnPostCreditAsync(string meterNumber, CancellationToken ct)
    {
        if (!StaffActor.IsAdmin(User))
        {
            return Forbid();
        }
        if (!await LoadAsync(meterNumber, ct))
        {
            return NotFound();
        }
        switch (await goodwill.RequestAsync(meterNumber, Amount?.Trim(), Reason, StaffActor.Of(User), ct))
        {
            case ApprovalOutcome.Requested r:
                Message = $"Asked for {r.Approval.Currency} {r.Approval.Amount} of goodwill credit; another administrator approves it under Approvals, and the meter gets it then.";
                break;
            case ApprovalOutcome.Invalid i:
                Error = $"{i.Field}: {i.Message}.";
                break;
            case ApprovalOutcome.OverLimit o:
                Error = o.Detail;
                break;
            case ApprovalOutcome.NotFound n:
                Error = n.Detail;
                break;
            default:
                throw new InvalidOperationException("Unhandled goodwill outcome.");
        }
        return Page();
    }

    private string NewKey() => "console-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");

    private async Task<bool> LoadAsync(string meterNumber, CancellationToken ct)
    {
        var placement = await MeterPlacements.Current(db).FirstOrDefaultAsync(p => p.Meter.MeterNumber == meterNumber, ct);
        if (placement is null)
        {
            return false;
        }
        Placement = placement;
        var now = clock.GetCurrentInstant();
        TariffCode = await db.TariffAssignments.AsNoTracking().Where(a => a.MeterId == placement.Meter.Id && a.EffectiveFrom <= now)
            .OrderByDescending(a => a.EffectiveFrom).Select(a => a.TariffCode).FirstOrDefaultAsync(ct);
        Activity = (await MeterActivity.ReadAsync(db, clock, await zones.ZoneAsync(db, ct), meterNumber, ct))!;
        IsSimulated = devices.Find(meterNumber) is not null;
        IdempotencyKey ??= NewKey();
        if (Request.Query["sent"] is { Count: 1 } sent && Commands.FirstOrDefault(c => c.Type == sent[0]).Label is { } label)
        {
            Message = $"{label} queued; its state below changes when the meter answers.";
        }
        return true;
    }
}
