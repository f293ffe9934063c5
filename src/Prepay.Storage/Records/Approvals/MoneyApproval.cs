using NodaTime;

namespace Prepay.Storage.Records.Approvals;

/// <summary>
/// Money that moves outside a sale, asked for by one person and executed only when another approves it. The row moves
/// from <see cref="ApprovalState.Requested"/> to approved, rejected or expired by a conditional update in the same
/// transaction as the money it moves, so of two racing approvals one executes and the other finds it decided.
/// Who asked and who decided are kept by id (an API key's or a person's), with their names for people to read.
/// </summary>
public sealed class MoneyApproval
{
    public Guid Id { get; init; }
    public ApprovalKind Kind { get; init; }

    /// <summary>What the money moves for, e.g. <c>vendor/{id}</c>, <c>customer/{id}</c>, <c>vend/{id}</c>, <c>payment/{id}</c>.</summary>
    public required string Target { get; init; }

    /// <summary>The request's details as JSON (which vendor, meter, vend or payment), read back when it is approved.</summary>
    public required string Payload { get; init; }

    public long AmountMinor { get; init; }
    public required string Currency { get; init; }
    public required string Reason { get; init; }
    public Guid RequestedBy { get; init; }
    public required string RequestedByName { get; init; }
    public Instant RequestedAt { get; init; }
    public ApprovalState State { get; init; }
    public Guid? DecidedBy { get; init; }
    public string? DecidedByName { get; init; }
    public Instant? DecidedAt { get; init; }

    /// <summary>What the approval made: the ledger transaction, vend or refund it executed; or why it was rejected.</summary>
    public string? Result { get; init; }
}

public enum ApprovalKind
{
    /// <summary>Money paid into a vendor's float.</summary>
    FloatDeposit,

    /// <summary>Credit given to a meter from the goodwill float, within its monthly budget.</summary>
    GoodwillCredit,

    /// <summary>Arrears loaded onto a customer's debt account.</summary>
    DebtLoad,

    /// <summary>Debt a customer will not repay, written off against the write-off account.</summary>
    DebtWriteOff,

    /// <summary>A token vend undone: the token may already be on the meter, so a second person decides.</summary>
    VendReversal,

    /// <summary>An online payment given back through its provider, and its vend reversed.</summary>
    PaymentRefund,

    /// <summary>
    /// A disconnection the policy refused, sent anyway on an administrator's word: no money moves (the amount is
    /// zero), but a household's supply does, so a second administrator decides.
    /// </summary>
    DisconnectOverride,

    /// <summary>A customer's opening credit and arrears, carried over from a system before Prepay by a catalog import.</summary>
    OpeningBalance,
}

public enum ApprovalState
{
    Requested,
    Approved,
    Rejected,
    Expired,
}
