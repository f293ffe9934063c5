using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Pos;
using Prepay.Storage;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pages.Pos;

/// <summary>
/// The counter: find a meter by number or by site and room, have the customer confirm the name, sell. The vend's
/// idempotency key is made when the sell form is drawn and travels in it, so a double click or a resent form
/// sells once and shows the same token.
/// </summary>
[Authorize(Policy = PagePolicies.Clerk)]
public sealed class PosModel(PrepayDb db, VendingService vending, IClock clock) : PageModel
{
    [BindProperty]
    public string? MeterNumber { get; set; }

    [BindProperty]
    public string? Site { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public FoundMeter? Found { get; private set; }

    public string? Error { get; private set; }

    public string VendorName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken ct) => await LoadVendorAsync(ct);

    public async Task<IActionResult> OnPostFindAsync(CancellationToken ct)
    {
        await LoadVendorAsync(ct);
        var byNumber = !string.IsNullOrWhiteSpace(MeterNumber);
        if (!byNumber && (string.IsNullOrWhiteSpace(Site) || string.IsNullOrWhiteSpace(Unit)))
        {
            Error = "Enter a meter number, or a site code and a room.";
            return Page();
        }
        Found = await MeterLookup.FindAsync(db, MeterNumber, Site, Unit, ct);
        var asked = byNumber ? $"meter {MeterNumber!.Trim()}" : $"{Site!.Trim()} {Unit!.Trim()}";
        await PeopleAudit.RecordAsync(db, clock, PersonActor.Clerk(User).AuditName, "pos.lookup", "meter/" + (Found?.MeterNumber ?? "none"), Truncate(asked), ct);
        if (Found is null)
        {
            Error = byNumber ? $"No meter with number {MeterNumber!.Trim()}." : $"No meter at room {Unit!.Trim()} of site {Site!.Trim()}.";
            return Page();
        }
        IdempotencyKey = "pos-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostVendAsync(CancellationToken ct)
    {
        await LoadVendorAsync(ct);
        Found = await MeterLookup.FindAsync(db, MeterNumber, null, null, ct);
        if (Found is null)
        {
            Error = "Find the meter first.";
            return Page();
        }
        if (!Confirmed)
        {
            Error = "Ask the customer to confirm the name on the account, then tick the box.";
            return Page();
        }
        var request = new VendRequest(Found.MeterNumber, null, null, Amount?.Trim(), Found.Currency, "pos", null);
        var (command, errors) = VendCommand.From(IdempotencyKey, request, vending.MaxAmountMinor);
        if (command is null)
        {
            Error = string.Join(" ", errors.Select(e => $"{Label(e.Key)} {string.Join("; ", e.Value)}."));
            return Page();
        }
        var outcome = await vending.VendAsync(command, PersonActor.Clerk(User), ct);
        switch (outcome)
        {
            case VendOutcome.Created c:
                return Redirect($"/pos/receipts/{c.Vend.Id}");
            case VendOutcome.Replayed r:
                return Redirect($"/pos/receipts/{r.Vend.Id}");
            case VendOutcome.NotFound n:
                Error = n.Detail;
                break;
            case VendOutcome.Unprocessable u:
                Error = u.Detail;
                break;
            case VendOutcome.Conflict c:
                Error = c.Detail;
                break;
            case VendOutcome.KeyReused:
                Error = "This sale form was already used for a different sale. Find the meter again to start a new sale.";
                break;
            case VendOutcome.Invalid i:
                Error = string.Join(" ", i.Errors.Select(e => $"{Label(e.Key)} {string.Join("; ", e.Value)}."));
                break;
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome}");
        }
        return Page();
    }

    private static string Label(string field) => field switch
    {
        "amount" => "Amount",
        "Idempotency-Key" => "Sale form",
        "meterNumber" => "Meter number",
        _ => field,
    };

    private static string Truncate(string s) => s.Length > 120 ? s[..120] : s;

    private async Task LoadVendorAsync(CancellationToken ct)
    {
        var vendorId = PersonActor.VendorIdOf(User);
        VendorName = await db.Vendors.AsNoTracking().Where(v => v.Id == vendorId).Select(v => v.Name).FirstOrDefaultAsync(ct) ?? "(unknown vendor)";
    }
}
