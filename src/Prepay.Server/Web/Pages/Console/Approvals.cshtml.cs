using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Prepay.Server.Web.Operations;
using Prepay.Server.Web.People;
using Prepay.Storage.Records.Approvals;
using Prepay.Vending.Approvals;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Money waiting for a second person: float deposits, debt loads and write-offs, token vend reversals. An administrator
/// approves (the money moves then, once) or rejects a request someone else made, through the service the API uses;
/// their own requests show without the buttons, and the service refuses them by id whatever the form says.
/// </summary>
[Authorize(Policy = StaffPages.AdminPolicy)]
public sealed class ApprovalsModel(MoneyApprovals approvals) : PageModel
{
    public const int Rows = 200;

    public IReadOnlyList<ApprovalView> Pending { get; private set; } = [];

    public IReadOnlyList<ApprovalView> Decided { get; private set; } = [];

    public Guid Me => PersonActor.IdOf(User);

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct)
    {
        Say(await approvals.ApproveAsync(id, StaffActor.Of(User), ct));
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, string? note, CancellationToken ct)
    {
        Say(await approvals.RejectAsync(id, note, StaffActor.Of(User), ct));
        await LoadAsync(ct);
        return Page();
    }

    private void Say(ApprovalOutcome outcome)
    {
        switch (outcome)
        {
            case ApprovalOutcome.Approved a:
                Message = $"Approved: {a.Approval.Kind} of {a.Approval.Currency} {a.Approval.Amount} for {a.Approval.Target} ({a.Approval.Result}).";
                break;
            case ApprovalOutcome.Rejected r:
                Message = $"Rejected: {r.Approval.Kind} of {r.Approval.Currency} {r.Approval.Amount}; nothing moved.";
                break;
            case ApprovalOutcome.AlreadyDecided d:
                Error = $"That request was {d.Approval.State} by {d.Approval.DecidedByName ?? "nobody"}; nothing more was done.";
                break;
            case ApprovalOutcome.OwnRequest:
                Error = "You asked for this one: another administrator must decide it.";
                break;
            case ApprovalOutcome.Refused r:
                Error = $"Not approved, nothing moved: {r.Detail}";
                break;
            case ApprovalOutcome.Invalid i:
                Error = $"{i.Field}: {i.Message}.";
                break;
            case ApprovalOutcome.NotFound n:
                Error = n.Detail;
                break;
            default:
                throw new InvalidOperationException($"Unhandled approval outcome {outcome}.");
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Pending = await approvals.ListAsync(ApprovalState.Requested, Rows, ct);
        Decided = [.. (await approvals.ListAsync(null, 50, ct)).Where(a => a.State != "requested").Take(20)];
    }
}
