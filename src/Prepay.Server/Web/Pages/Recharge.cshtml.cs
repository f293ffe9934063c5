using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Server.Web.Recharge;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages;

/// <summary>
/// The public recharge page: by site, room and the meter number's last digits, or by the whole meter number; a
/// masked name and a quote (no debt: it is not shown to someone who has not signed in); then, when a payment
/// provider is enabled, payment at the provider's checkout, ending on the result page with the token.
/// </summary>
[AllowAnonymous]
public sealed class RechargeModel(PrepayDb db, RechargeQuotes quotes, PaymentProviders providers, CheckoutService checkout, IClock clock) : PageModel
{
    [BindProperty]
    public string? Site { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? MeterNumber { get; set; }

    /// <summary>With a site and room: the meter number's last digits (<see cref="RechargeLookup"/>).</summary>
    [BindProperty]
    public string? MeterEnding { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? IdempotencyKey { get; set; }

    [BindProperty]
    public bool Confirmed { get; set; }

    public RechargeQuote? Quote { get; private set; }

    public string? PaymentProvider => providers.Default?.DisplayName;

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(MeterNumber) && (string.IsNullOrWhiteSpace(Site) || string.IsNullOrWhiteSpace(Unit)))
        {
            Error = $"Enter your site code, room and the last {RechargeLookup.EndingDigits} digits of your meter number, or your whole meter number.";
            return Page();
        }
        (Quote, Error) = await quotes.QuoteAsync(db, MeterNumber, Site, Unit, MeterEnding, Amount, ct);
        IdempotencyKey = "recharge-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");
        return Page();
    }

    /// <summary>Pays the quoted amount for the quoted meter: the payer confirmed the masked name, the form's key opens one checkout.</summary>
    public async Task<IActionResult> OnPostPayAsync(CancellationToken ct)
    {
        (Quote, Error) = await quotes.QuoteAsync(db, MeterNumber, null, null, null, Amount, ct);
        if (Quote is null)
        {
            return Page();
        }
        if (!Confirmed)
        {
            Error = "Tick the box to confirm that this is your account before paying.";
            return Page();
        }
        var outcome = await checkout.StartAsync(new CheckoutRequest(IdempotencyKey, Quote.MeterNumber, Amount, PaymentOrigins.Recharge, null, "public:recharge"), ct);
        switch (outcome)
        {
            case CheckoutOutcome.Started started:
                return Redirect(started.CheckoutAddress);
            case CheckoutOutcome.Refused refused:
                Error = refused.Message;
                IdempotencyKey = "recharge-" + Guid.CreateVersion7(clock.GetCurrentInstant().ToDateTimeOffset()).ToString("N");
                return Page();
            default:
                throw new InvalidOperationException($"Unhandled outcome {outcome}");
        }
    }
}
