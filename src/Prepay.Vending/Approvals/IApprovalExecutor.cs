using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Records.Approvals;

namespace Prepay.Vending.Approvals;

/// <summary>
/// Moves the money of one kind of request once it is approved. <see cref="ExecuteAsync"/> runs inside the write
/// transaction that marks the request approved and adds its rows without saving: the caller saves and commits both,
/// or neither. It checks the rules again, as they stand now, and refuses rather than move money they no longer allow.
/// </summary>
public interface IApprovalExecutor
{
    ApprovalKind Kind { get; }

    /// <summary>Work that must happen before the transaction (creating ledger accounts, each its own idempotent statement).</summary>
    Task PrepareAsync(PrepayDb db, MoneyApproval approval, CancellationToken ct);

    Task<Execution> ExecuteAsync(PrepayDb db, MoneyApproval approval, Actor approver, Instant now, CancellationToken ct);
}

/// <summary>
/// A kind whose money moves through a use case that owns its transaction (goodwill credit is a vend): it runs
/// <c>markApproved</c> inside that transaction, so the request is approved by the very commit that moves the money.
/// <c>markApproved</c> takes the result to keep and says false when someone decided first (then nothing may be written).
/// </summary>
public interface IApprovalCarrier
{
    ApprovalKind Kind { get; }

    Task<Execution> ApproveAsync(MoneyApproval approval, Actor approver, Func<PrepayDb, string, CancellationToken, Task<bool>> markApproved, CancellationToken ct);
}

public abstract record Execution
{
    /// <summary>Done: what it made (a ledger transaction, a reversal), kept on the request.</summary>
    public sealed record Done(string Result) : Execution;

    public sealed record Refused(string Code, string Detail) : Execution;
}
