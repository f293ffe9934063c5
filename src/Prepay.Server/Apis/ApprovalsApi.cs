using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage.Records.Approvals;
using Prepay.Vending.Approvals;

namespace Prepay.Server.Apis;

public sealed record ApprovalDecisionInput(string? Note);

/// <summary>
/// Money that needs two people: staff list the requests, and an admin other than the one who asked approves (the money
/// moves then) or rejects. The requests themselves are made where the money is: a vendor's float deposits, a customer's
/// debts and write-offs, a vend's reversal, a payment's refund.
/// </summary>
public static class ApprovalsApi
{
    public static void MapApprovalsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/approvals").WithTags("Approvals");
        g.MapGet("/", List).RequireAuthorization(Policies.Staff)
            .WithSummary("Requests for money to move outside a sale, newest first; ?state=requested|approved|rejected|expired.");
        g.MapGet("/{id:guid}", Get).RequireAuthorization(Policies.Staff);
        g.MapPost("/{id:guid}/approve", Approve).RequireAuthorization(Policies.Admin)
            .WithSummary("Approve a request someone else made: the money moves in the same transaction, once.");
        g.MapPost("/{id:guid}/reject", Reject).RequireAuthorization(Policies.Admin).Accepts<ApprovalDecisionInput>("application/json");
    }

    /// <summary>The one answer for every outcome, wherever the request was made or decided.</summary>
    public static IResult Result(ApprovalOutcome outcome) => outcome switch
    {
        ApprovalOutcome.Requested r => TypedResults.Accepted($"/api/v1/approvals/{r.Approval.Id}", r.Approval),
        ApprovalOutcome.Approved a => TypedResults.Ok(a.Approval),
        ApprovalOutcome.Rejected r => TypedResults.Ok(r.Approval),
        ApprovalOutcome.AlreadyDecided d => Problems.Conflict("already-decided", $"This request was {d.Approval.State} by {d.Approval.DecidedByName ?? "nobody"} at {d.Approval.DecidedAt}; nothing more was done."),
        ApprovalOutcome.OwnRequest => Problems.Of(StatusCodes.Status403Forbidden, "own-request", "Second person required",
            "You asked for this; another admin must decide it."),
        ApprovalOutcome.NotFound n => Problems.NotFound(n.Detail),
        ApprovalOutcome.Invalid i => Problems.Invalid(i.Field, i.Message),
        ApprovalOutcome.OverLimit o => Problems.Unprocessable(o.Code, o.Detail),
        ApprovalOutcome.Refused r => Problems.Conflict(r.Code, r.Detail),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
    };

    private static async Task<IResult> List(string? state, int? limit, MoneyApprovals approvals, CancellationToken ct)
    {
        ApprovalState? filter = null;
        if (state is not null)
        {
            if (!Enum.TryParse<ApprovalState>(state, ignoreCase: true, out var parsed) || int.TryParse(state, out _))
            {
                return Problems.Invalid("state", "must be requested, approved, rejected or expired");
            }
            filter = parsed;
        }
        return TypedResults.Ok(await approvals.ListAsync(filter, limit ?? 100, ct));
    }

    private static async Task<IResult> Get(Guid id, MoneyApprovals approvals, CancellationToken ct) =>
        await approvals.FindAsync(id, ct) is { } found ? TypedResults.Ok(found) : Problems.NotFound($"No approval request {id}.");

    private static async Task<IResult> Approve(Guid id, HttpContext http, MoneyApprovals approvals, CancellationToken ct) =>
        Result(await approvals.ApproveAsync(id, ApiKeyAuthentication.ActorOf(http.User), ct));

    private static async Task<IResult> Reject(Guid id, HttpContext http, MoneyApprovals approvals, CancellationToken ct)
    {
        string? note = null;
        if (http.Request.ContentLength is > 0)
        {
            var (input, error) = await JsonBody.ReadAsync<ApprovalDecisionInput>(http.Request, ct);
            if (error is not null)
            {
                return error;
            }
            note = input!.Note;
        }
        return Result(await approvals.RejectAsync(id, note, ApiKeyAuthentication.ActorOf(http.User), ct));
    }
}
