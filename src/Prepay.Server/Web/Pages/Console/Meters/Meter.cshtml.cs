extern alias virtualmeters;

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.HeadEnd.Protocol;
using Prepay.Server.Web.Operations;
using Prepay.Storage;
using Prepay.Storage.Queries;
using Prepay.Storage.Records;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;
using virtualmeters::Prepay.Meter.Devices;

namespace Prepay.Server.Web.Pages.Operations.Meters;

/// <summary>
/// One meter: where it is and whose, its status, a chart of the last day's readings, its events and the commands sent
/// to it with their states, all refreshed by the page's script (<c>?handler=Live</c>). Operators send connect,
/// disconnect and read-now commands through the head-end's queue with a reason, audited as the API does. Credit is
/// only ever sold: "add credit" is a vend from a vendor's float (administrators, as for the vend API), whose credit
/// then reaches a smart meter by the vend's own command, or as a token for a keypad meter.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class MeterModel(PrepayDb db, IClock clock, CommandDispatcher dispatcher, VendingService vending, VirtualMeterRegistry devices, OperatorZone zones) : PageModel
{
    /// <summary>The commands an operator may send from this page, with what the button says.</summary>
    public static readonly IReadOnlyList<(string Type, string Label)> Commands =
    [
        (CommandTypes.Connect, "Connect"),
        (CommandTypes.Disconnect, "Disconnect"),
        (CommandTypes.ReadNow, "Read now"),
    ];

    public const int MaxReasonLength = 500;

    public MeterPlacement Placement { get; private set; } = null!;

    public string? TariffCode { get; private set; }

    public MeterActivity Activity { get; private set; } = null!;

    public bool IsSimulated { get; private set; }

    public IReadOnlyList<(string Code, string Name)> Vendors { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public VendResponse? CreditVend { get; private set; }

    [BindProperty]
    public string? CommandType { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? VendorCode { get; set; }

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
        CommandQueue.Enqueue(db, Placement.Meter.Id, Placement.Meter.MeterNumber, command.Type, null, now, "operator: " + reason);
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
        if (string.IsNullOrWhiteSpace(Reason) || Reason.Trim().Length > 100)
        {
            Error = "Give a reason for the credit (at most 100 characters): it is the sale's payment reference and goes to the audit log.";
            return Page();
        }
        var vendor = await db.Vendors.AsNoTracking().Where(v => v.Code == VendorCode).Select(v => new { v.Id, v.Code }).FirstOrDefaultAsync(ct);
        if (vendor is null)
        {
            Error = "Choose the vendor whose float pays for the credit.";
            return Page();
        }
        var request = new VendRequest(meterNumber, null, null, Amount?.Trim(), Placement.Meter.Currency, "console", Reason.Trim());
        var (command, errors) = VendCommand.From(IdempotencyKey, request, vending.MaxAmountMinor);
        if (command is null)
        {
            Error = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}."));
            return Page();
        }
        var outcome = await vending.VendAsync(command, StaffActor.Of(User, vendor.Id), ct);
        switch (outcome)
        {
            case VendOutcome.Created c:
                CreditVend = c.Vend;
                db.Audit.Add(new AuditRecord { At = clock.GetCurrentInstant(), Actor = StaffActor.AuditName(User), Action = "meter.add-credit", Target = $"meter/{meterNumber}", Details = $"{c.Vend.Currency} {c.Vend.Amount} from {vendor.Code}: {Reason.Trim()}" });
                await db.SaveChangesAsync(ct);
                break;
            case VendOutcome.Replayed r:
                CreditVend = r.Vend;
                break;
            case VendOutcome.Invalid i:
                Error = string.Join(" ", i.Errors.Select(e => $"{e.Key}: {string.Join("; ", e.Value)}."));
                break;
            case VendOutcome.NotFound n:
                Error = n.Detail;
                break;
            case VendOutcome.Unprocessable u:
                Error = u.Detail;
                break;
            case VendOutcome.Conflict x:
                Error = x.Detail;
                break;
            case VendOutcome.KeyReused:
                Error = "This form was already used for a different sale. Open the meter again to add more credit.";
                break;
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome}");
        }
        if (CreditVend is not null)
        {
            // The next sale from this page is a new one; sending this form again would replay this one.
            IdempotencyKey = NewKey();
            Message = CreditVend.Token is null
                ? $"Sold {CreditVend.EnergyKwh} kWh for {CreditVend.Currency} {CreditVend.Amount}; the credit goes to the meter by command."
                : $"Sold {CreditVend.EnergyKwh} kWh for {CreditVend.Currency} {CreditVend.Amount}; give the customer the token.";
            Activity = (await MeterActivity.ReadAsync(db, clock, await zones.ZoneAsync(db, ct), meterNumber, ct))!;
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
        Vendors = [.. (await db.Vendors.AsNoTracking().Where(v => v.Currency == placement.Meter.Currency).OrderBy(v => v.Code).Select(v => new { v.Code, v.Name }).ToListAsync(ct))
            .Select(v => (v.Code, v.Name))];
        IdempotencyKey ??= NewKey();
        if (Request.Query["sent"] is { Count: 1 } sent && Commands.FirstOrDefault(c => c.Type == sent[0]).Label is { } label)
        {
            Message = $"{label} queued; its state below changes when the meter answers.";
        }
        return true;
    }
}
