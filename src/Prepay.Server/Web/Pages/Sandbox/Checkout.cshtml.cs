using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Payments.Sandbox;
using Prepay.Storage.Records.Payments;

namespace Prepay.Server.Web.Pages.Sandbox;

/// <summary>
/// The sandbox provider's checkout, as a card or mobile-money company would host it: the payer enters a test card
/// or number and pays, or cancels. The decision reaches Prepay only through the sandbox's signed callback; this
/// page then sends the payer back to Prepay's result page. It exists only where the sandbox is enabled.
/// </summary>
[AllowAnonymous]
public sealed class SandboxCheckoutModel(IServiceProvider services) : PageModel
{
    private readonly SandboxGateway? _gateway = services.GetService<SandboxGateway>();

    [BindProperty]
    public string? CardNumber { get; set; }

    [BindProperty]
    public string? Expiry { get; set; }

    [BindProperty]
    public string? Cvc { get; set; }

    [BindProperty]
    public string? MobileNumber { get; set; }

    public SandboxCheckout Checkout { get; private set; } = null!;

    public string? Error { get; private set; }

    public bool Open => Checkout.Status == PaymentStatus.Pending && !Checkout.Expired;

    public async Task<IActionResult> OnGetAsync(Guid sessionId, CancellationToken ct) =>
        await LoadAsync(sessionId, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostCardAsync(Guid sessionId, CancellationToken ct) =>
        PayAsync(sessionId, new SandboxPayment.Card(CardNumber, Expiry, Cvc), ct);

    public Task<IActionResult> OnPostMobileAsync(Guid sessionId, CancellationToken ct) =>
        PayAsync(sessionId, new SandboxPayment.Mobile(MobileNumber), ct);

    public Task<IActionResult> OnPostCancelAsync(Guid sessionId, CancellationToken ct) =>
        PayAsync(sessionId, new SandboxPayment.Cancel(), ct);

    private async Task<IActionResult> PayAsync(Guid sessionId, SandboxPayment payment, CancellationToken ct)
    {
        if (!await LoadAsync(sessionId, ct))
        {
            return NotFound();
        }
        var result = await _gateway!.PayAsync(sessionId, payment, ct);
        switch (result)
        {
            case SandboxResult.Decided decided:
                return Redirect(decided.ReturnAddress);
            case SandboxResult.Invalid invalid:
                Error = invalid.Message;
                return Page();
            case SandboxResult.Closed closed:
                Error = closed.Message;
                await LoadAsync(sessionId, ct);
                return Page();
            default:
                throw new InvalidOperationException($"Unhandled result {result}");
        }
    }

    private async Task<bool> LoadAsync(Guid sessionId, CancellationToken ct)
    {
        if (_gateway is null || await _gateway.FindAsync(sessionId, ct) is not { } checkout)
        {
            return false;
        }
        Checkout = checkout;
        return true;
    }
}
