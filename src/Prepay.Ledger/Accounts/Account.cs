namespace Prepay.Ledger.Accounts;

/// <summary>
/// A ledger account as stored. <see cref="Balance"/> is a running total kept in the same database transaction as
/// the postings that change it, so the database can refuse an overdraft with a CHECK constraint; it always equals
/// credits minus debits over the account's postings, which <c>LedgerAudit</c> verifies.
/// </summary>
public sealed class Account
{
    public long Id { get; init; }
    public required string Code { get; init; }
    public AccountKind Kind { get; init; }
    public required string Currency { get; init; }
    public long Balance { get; set; }
    public long? MinimumBalance { get; init; }
}
