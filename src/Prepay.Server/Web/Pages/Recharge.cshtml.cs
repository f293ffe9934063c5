using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Server.Web.Recharge;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages;

/// <summary>The public recharge page: by site and room or by meter number, a masked name and a quote. It sells nothing.</summary>
[AllowAnonymous]
public sealed class RechargeModel(PrepayDb db, RechargeQuotes quotes) : PageModel
{
    [BindProperty]
    public string? Site { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? MeterNumber { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    public RechargeQuote? Quote { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(MeterNumber) && (string.IsNullOrWhiteSpace(Site) || string.IsNullOrWhiteSpace(Unit)))
        {
            Error = "Enter your site code and room, or your meter number.";
            return Page();
        }
        (Quote, Error) = await quotes.QuoteAsync(db, MeterNumber, Site, Unit, Amount, ct);
        return Page();
    }
}
