using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;

namespace Prepay.Vending.Postings;

/// <summary>
/// Posts one ledger transaction for a money-moving request at most once per idempotency key: the claim and the
/// postings commit together, a retry with the same request gets the first transaction's id, a different request
/// with the same key is refused. Used by float deposits and debt loads; vends have their own richer flow.
/// </summary>
public sealed class IdempotentPosting(IClock clock, LedgerStore ledger)
{
    public abstract record Result
    {
        public sealed record Posted(Guid TransactionId, bool Replayed) : Result;
        public sealed record KeyReused : Result;
        public sealed record Refused(string Constraint) : Result;
    }

    /// <param name="scope">Whose keys these are (a vendor, a customer); keys of different scopes never collide.</param>
    /// <param name="operation">A prefix that keeps one scope's keys for different operations apart.</param>
    /// <param name="requestHash">What the request means; a retry must mean the same.</param>
    public async Task<Result> PostAsync(PrepayDb db, Guid scope, string operation, string idempotencyKey, string requestHash,
        Func<Guid, LedgerTransaction> transaction, AuditRecord audit, string? reference, CancellationToken ct)
    {
        var key = operation + ":" + idempotencyKey;
        var now = clock.GetCurrentInstant();
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        var built = transaction(transactionId);
        foreach (var p in built.Postings)
        {
            // Accounts are created outside the write transaction: creation is its own idempotent statement.
            await ledger.AccountIdAsync(db, p.From, ct);
            await ledger.AccountIdAsync(db, p.To, ct);
        }

        await using var tx = await db.BeginWriteAsync(ct);
        var claimed = await IdempotencyClaimStore.TryClaimAsync(db, scope, key, requestHash, transactionId, ct);
        if (!claimed)
        {
            await tx.RollbackAsync(ct);
            var claim = await db.IdempotencyClaims.AsNoTracking().FirstAsync(c => c.ScopeId == scope && c.Key == key, ct);
            return claim.RequestHash == requestHash ? new Result.Posted(claim.ResultId, Replayed: true) : new Result.KeyReused();
        }
        await ledger.AddAsync(db, built, now, reference, ct);
        db.Audit.Add(audit);
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (WriteTransactions.IsBelowMinimumBalance(e))
        {
            return new Result.Refused(WriteTransactions.MinimumBalanceConstraint);
        }
        return new Result.Posted(transactionId, Replayed: false);
    }
}
