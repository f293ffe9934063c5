using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Prepay.Server.Web.Operations;
using Prepay.Statements.Disputes;
using Prepay.Storage;
using Prepay.Storage.Records.Statements;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Statement lines customers dispute: the open ones, oldest first, each answered once (resolved or rejected, with
/// words the customer reads on the portal); every dispute, newest first, with <c>?all=true</c>.
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class DisputesModel(PrepayDb db, StatementDisputes disputes, OperatorZone zones) : PageModel
{
    public const int Rows = 200;

    [FromQuery(Name = "all")]
    public bool All { get; set; }

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public IReadOnlyList<DisputeView> Disputes { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, string? decision, string? answer, CancellationToken ct)
    {
        if (decision is not ("resolved" or "rejected"))
        {
            Error = "Choose resolved or rejected.";
        }
        else
        {
            var state = decision == "resolved" ? DisputeState.Resolved : DisputeState.Rejected;
            switch (await disputes.AnswerAsync(new DisputeAnswer(id, state, answer, StaffActor.AuditName(User)), ct))
            {
                case DisputeOutcome.Answered a:
                    Message = $"Answered ({a.Dispute.State}): meter {a.Dispute.MeterNumber}, {a.Dispute.Day:yyyy-MM-dd}, {a.Dispute.LineKind}.";
                    break;
                case DisputeOutcome.AlreadyAnswered a:
                    Error = $"{a.Dispute.AnsweredBy} answered that dispute already.";
                    break;
                case DisputeOutcome.Invalid i:
                    Error = $"{i.Field}: {i.Message}";
                    break;
                case DisputeOutcome.NotFound:
                    Error = "No such dispute.";
                    break;
                case var other:
                    throw new InvalidOperationException($"Unhandled outcome {other}");
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        Disputes = await disputes.ListAsync(openOnly: !All, Rows, ct);
    }
}
