using NodaTime;

namespace Prepay.Ledger.Transactions;

/// <summary>A posting as stored: insert-only (the database refuses updates and deletes).</summary>
public sealed class StoredPosting
{
    public long Id { get; init; }
    public Guid TransactionId { get; init; }
    public long DebitAccountId { get; init; }
    public long CreditAccountId { get; init; }
    public long Amount { get; init; }
    public required string Currency { get; init; }
}

/// <summary>A ledger transaction's header as stored.</summary>
public sealed class StoredTransaction
{
    public Guid Id { get; init; }
    public TransactionKind Kind { get; init; }
    public required string Description { get; init; }
    public Instant At { get; init; }

    /// <summary>What caused it (a vend id, a reversal id), for finding a vend's money.</summary>
    public string? Reference { get; init; }
}
