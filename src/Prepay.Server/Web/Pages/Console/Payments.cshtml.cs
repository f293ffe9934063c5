using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Payments.Checkout;
using Prepay.Server.Web.Operations;
using Prepay.Storage.Records.Payments;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Online payments as staff follow them up: by default those taken but not vended, each with why, to vend again once
/// the cause is fixed or to record the refund made at the provider, through the service the API uses.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class PaymentsModel(PaidNotVended payments) : PageModel
{
    public const int Rows = 200;

    [FromQuery(Name = "status")]
    public string? Status { get; set; }

    public PaymentStatus Shown { get; private set; } = PaymentStatus.VendFailed;

    public IReadOnlyList<PaymentView> Payments { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRetryAsync(Guid id, string? reason, CancellationToken ct)
    {
        Say(await payments.RetryAsync(id, reason, StaffActor.Of(User), ct), p => p.Status == "vended"
            ? $"Payment {p.ProviderPaymentId} is vended now."
            : $"Payment {p.ProviderPaymentId} failed again: {p.Failure}");
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRefundAsync(Guid id, string? reason, string? refundReference, CancellationToken ct)
    {
        Say(await payments.MarkRefundedAsync(id, reason, refundReference, StaffActor.Of(User), ct), p => $"Payment {p.ProviderPaymentId} is recorded as refunded.");
        await LoadAsync(ct);
        return Page();
    }

    private void Say(FollowUpOutcome outcome, Func<PaymentView, string> done)
    {
        switch (outcome)
        {
            case FollowUpOutcome.Done d when d.Payment.Status == "vendFailed":
                Error = done(d.Payment);
                break;
            case FollowUpOutcome.Done d:
                Message = done(d.Payment);
                break;
            case FollowUpOutcome.Invalid i:
                Error = string.Join(" ", i.Errors.SelectMany(e => e.Value));
                break;
            case FollowUpOutcome.WrongState w:
                Error = $"That payment is {PaidNotVended.Name(w.Status)} now: someone else dealt with it.";
                break;
            case FollowUpOutcome.NotFound:
                Error = "No such payment.";
                break;
            default:
                throw new InvalidOperationException("Unhandled follow-up outcome.");
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        if (Status is not null && Enum.TryParse<PaymentStatus>(Status, ignoreCase: true, out var parsed) && !int.TryParse(Status, out _))
        {
            Shown = parsed;
        }
        Payments = await payments.ListAsync(Shown, Rows, ct);
    }
}
