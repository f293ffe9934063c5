using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Vending.Contracts;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pages.Pos;

/// <summary>A vend's receipt, printable. A clerk sees only the vends of their own vendor; every showing is audited, a reprint marked.</summary>
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
        // Audited whether or not it is marked a reprint: the address without ?reprint=true shows the same token.
        await PeopleAudit.RecordAsync(db, clock, actor.AuditName, reprint ? "pos.receipt.reprint" : "pos.receipt.view", $"vend/{vendId}", vend.Receipt.ReceiptNumber, ct);
        return Page();
    }
}
