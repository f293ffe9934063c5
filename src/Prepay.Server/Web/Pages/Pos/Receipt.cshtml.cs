using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pages.Pos;

/// <summary>A vend's receipt, printable. A clerk sees only the vends of their own vendor; a reprint is audited and marked.</summary>
[Authorize(Policy = PagePolicies.Clerk)]
public sealed class ReceiptModel(PrepayDb db, IClock clock) : PageModel
{
    public VendResponse Vend { get; private set; } = null!;

    public bool IsReprint { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid vendId, bool reprint, CancellationToken ct)
    {
        var actor = PersonActor.Clerk(User);
        var vend = await VendQueries.ReprintAsync(db, vendId, actor, ct);
        if (vend is null)
        {
            return NotFound();
        }
        Vend = vend;
        IsReprint = reprint;
        if (reprint)
        {
            await PeopleAudit.RecordAsync(db, clock, actor.AuditName, "pos.receipt.reprint", $"vend/{vendId}", vend.Receipt.ReceiptNumber, ct);
        }
        return Page();
    }
}
