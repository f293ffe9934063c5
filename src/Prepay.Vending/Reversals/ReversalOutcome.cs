using Prepay.Vending.Contracts;

namespace Prepay.Vending.Reversals;

public abstract record ReversalOutcome
{
    public sealed record Reversed(ReversalResponse Reversal) : ReversalOutcome;

    /// <summary>It was reversed before: the earlier reversal, nothing new written.</summary>
    public sealed record AlreadyReversed(ReversalResponse Reversal) : ReversalOutcome;

    /// <summary>A token vend: its reversal waits for a second person (or was already waiting).</summary>
    public sealed record ApprovalRequested(Approvals.ApprovalView Approval) : ReversalOutcome;

    public sealed record NotFound : ReversalOutcome;

    public sealed record Invalid(IReadOnlyDictionary<string, string[]> Errors) : ReversalOutcome;

    public sealed record Conflict(string Code, string Detail) : ReversalOutcome;
}
