using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Server.Web.Pos;
using Prepay.Storage;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pages.Pos;

/// <summary>The receipt as a PDF (<see cref="ReceiptPdf"/>): the clerk's own vendor's vends only, audited, marked as a reprint when asked.</summary>
[Authorize(Policy = PagePolicies.Clerk)]
public sealed class ReceiptPdfModel(PrepayDb db, IClock clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid vendId, bool reprint, CancellationToken ct)
    {
        var actor = PersonActor.Clerk(User);
        var vend = await VendQueries.ReprintAsync(db, vendId, actor, ct);
        if (vend is null)
        {
            return NotFound();
        }
        await PeopleAudit.RecordAsync(db, clock, actor.AuditName, "pos.receipt.pdf", $"vend/{vendId}", vend.Receipt.ReceiptNumber + (reprint ? " (reprint)" : ""), ct);
        Response.Headers.CacheControl = "no-store";
        return File(ReceiptPdf.Render(vend, reprint), "application/pdf", $"receipt-{vend.Receipt.ReceiptNumber}.pdf");
    }
}
