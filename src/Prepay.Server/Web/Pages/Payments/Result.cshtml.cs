using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Payments.Checkout;
using Prepay.Server.Web.People;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Storage.Records.Payments;

namespace Prepay.Server.Web.Pages.Payments;

/// <summary>
/// Where the provider sends the payer back. It shows what the provider's callback decided: the token (or the smart
/// meter's credit) once the vend exists, a decline, or a wait while the callback is on its way. The session id and
/// its access key in the address are what open it; without both it does not exist.
/// </summary>
[AllowAnonymous]
public sealed class PaymentResultModel(PaymentResults results, PrepayDb db, IClock clock) : PageModel
{
    /// <summary>Seconds between reloads while the payment is undecided.</summary>
    public const int RefreshSeconds = 2;

    public PaymentResult Result { get; private set; } = null!;

    public bool Waiting => Result.Status is PaymentStatus.Pending or PaymentStatus.Approved;

    public async Task<IActionResult> OnGetAsync(Guid sessionId, string? key, CancellationToken ct)
    {
        var result = await results.FindAsync(sessionId, key, ct);
        if (result is null)
        {
            return NotFound();
        }
        Result = result;
        if (result.Vend is { Token: not null } vend)
        {
            // The token is shown: to the payer, who holds the session's key, but audited as every token shown is.
            var payer = User.Identity is { IsAuthenticated: true, Name: { } name } ? "customer:" + name : "public:payer";
            await PeopleAudit.RecordAsync(db, clock, payer, AuditActions.TokenRead, $"vend/{vend.Id}", $"payment result {sessionId}: meter {vend.MeterNumber}", ct);
        }
        // The token is for the payer only: keep it out of shared caches and of the browser's disk cache.
        Response.Headers.CacheControl = "no-store";
        if (Waiting)
        {
            // A Refresh header rather than a script: the CSP allows no inline script, and this works without any.
            Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Page();
    }
}
