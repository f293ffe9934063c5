using Prepay.Vending.Approvals;

namespace Prepay.Payments.Refunds;

public abstract record RefundRequestOutcome
{
    /// <summary>Waiting for a second person; <paramref name="Replayed"/> when this key asked for it before.</summary>
    public sealed record Requested(ApprovalView Approval, bool Replayed) : RefundRequestOutcome;

    public sealed record NotFound(string Detail) : RefundRequestOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : RefundRequestOutcome;

    /// <summary>The Idempotency-Key was used before for another request.</summary>
    public sealed record KeyReused : RefundRequestOutcome;

    /// <summary>The payment cannot be refunded now (not vended, refunded or pending, its credit on the meter): nothing written.</summary>
    public sealed record Conflict(string Code, string Detail) : RefundRequestOutcome;
}
