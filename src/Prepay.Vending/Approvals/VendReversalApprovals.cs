using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Approvals;
using Prepay.Vending.Reversals;

namespace Prepay.Vending.Approvals;

/// <summary>
/// The approval side of a token vend's reversal: the rules are checked again as they stand at approval (not reversed
/// meanwhile, not paid online, inside the window), and the reversal is written in the approval's transaction.
/// </summary>
public sealed class VendReversalApprovals(ReversalService reversals) : IApprovalExecutor
{
    internal sealed record Payload(Guid VendId);

    public ApprovalKind Kind => ApprovalKind.VendReversal;

    public Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct) => Task.CompletedTask;

    public async Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct)
    {
        var vendId = MoneyApprovals.Payload<Payload>(approval).VendId;
        var vend = await db.Vends.AsNoTracking().FirstAsync(v => v.Id == vendId, ct);
        if (await ReversalService.ExistingAsync(db, vend, ct) is not null)
        {
            return new Execution.Refused("already-reversed", $"Vend {vendId} was reversed meanwhile.");
        }
        if (await ReversalService.PaidOnlineAsync(db, vend, ct) is { } paid)
        {
            return new Execution.Refused(paid.Code, paid.Detail);
        }
        var (refused, transactionId) = await reversals.AddReversalAsync(db, vend, ReasonWithRequester(approval.Reason, approval.RequestedByName), approver, now, ct);
        return refused is ReversalOutcome.Conflict c ? new Execution.Refused(c.Code, c.Detail)
            : refused is not null ? new Execution.Refused("not-reversible", refused.ToString())
            : new Execution.Done($"reversal transaction {transactionId}");
    }

    /// <summary>
    /// The reason as asked, with who asked, within the reversal's <see cref="ReversalService.MaxReasonLength"/>: a reason
    /// asked at the full length is shortened (with an ellipsis) rather than the approval failing on the column.
    /// </summary>
    public static string ReasonWithRequester(string reason, string requestedBy)
    {
        var suffix = $" (asked by {requestedBy})";
        var room = Math.Max(0, ReversalService.MaxReasonLength - suffix.Length);
        var asked = reason.Length <= room ? reason : reason[..Math.Max(0, room - 1)] + "…";
        var whole = asked + suffix;
        return whole.Length <= ReversalService.MaxReasonLength ? whole : whole[..ReversalService.MaxReasonLength];
    }
}
