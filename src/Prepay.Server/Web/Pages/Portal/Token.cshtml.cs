using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Portal;
using Prepay.Storage;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pages.Portal;

/// <summary>A reprint of one of the customer's own purchases on one of their own meters: the receipt exactly as first made.</summary>
[Authorize(Policy = PortalSetup.CustomerPolicy)]
public sealed class PortalTokenModel(PrepayDb db, IClock clock) : PageModel
{
    public VendResponse Vend { get; private set; } = null!;

    public string MeterNumber { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string meterNumber, Guid vendId, CancellationToken ct)
    {
        var customerId = PersonActor.CustomerIdOf(User)!.Value;
        var meter = await CustomerMeters.FindAsync(db, customerId, meterNumber, clock.GetCurrentInstant(), ct);
        var since = meter?.Since ?? Instant.MinValue;
        // A purchase from before this tenancy is not found, as on the meter's page.
        var json = meter is null ? null
            : await db.Vends.AsNoTracking().Where(v => v.Id == vendId && v.MeterId == meter.MeterId && v.CustomerId == customerId && v.At >= since)
                .Select(v => v.Response).FirstOrDefaultAsync(ct);
        if (json is null)
        {
            return NotFound();
        }
        Vend = JsonSerializer.Deserialize<VendResponse>(json, VendingService.JsonOptions)!;
        MeterNumber = meter!.MeterNumber;
        await PeopleAudit.RecordAsync(db, clock, "customer:" + (User.Identity?.Name ?? "?"), "portal.token.reprint", $"vend/{vendId}", Vend.Receipt.ReceiptNumber, ct);
        return Page();
    }
}
