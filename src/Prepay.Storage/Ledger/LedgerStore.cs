using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;

namespace Prepay.Storage.Ledger;

/// <summary>
/// Writes ledger transactions into the caller's database transaction. Balances are not written here: the
/// database's trigger applies each posting to its two accounts and the accounts' CHECK constraint refuses an
/// overdraft, so a float cannot be oversold however many servers sell from it.
/// </summary>
public sealed class LedgerStore
{
    // Account ids never change once created, so remembering them saves a query per posting. This is a lookup
    // cache only: it guards nothing, and a missing entry is simply read (or created) again.
    private readonly ConcurrentDictionary<string, long> _ids = new(StringComparer.Ordinal);

    /// <summary>
    /// The account's id, creating the account on first use. Creation happens only outside a transaction, as its own
    /// committed statement: an account inserted inside a vend's transaction would be invisible to every other
    /// transaction until that one commits (and gone if it rolls back), so its id must never be cached or shared.
    /// Call <see cref="EnsureAsync"/> before a write transaction for every account it may post to.
    /// </summary>
    public async Task<long> AccountIdAsync(PrepayDb db, AccountCode code, CancellationToken ct)
    {
        if (_ids.TryGetValue(code.Value, out var id))
        {
            return id;
        }
        var existing = await db.Accounts.AsNoTracking().Where(a => a.Code == code.Value).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct);
        if (existing is null)
        {
            if (db.Database.CurrentTransaction is not null)
            {
                throw new InvalidOperationException($"Account {code} does not exist yet; create it with LedgerStore.EnsureAsync before the write transaction.");
            }
            // Two servers creating the same account at once: ON CONFLICT keeps one row, both read its id.
            await db.QueuedAsync(() => db.Database.ExecuteSqlAsync(
                $"INSERT INTO accounts (code, kind, currency, minimum_balance, balance) VALUES ({code.Value}, {code.Kind.ToString()}, {code.Currency}, {code.MinimumBalance}, 0) ON CONFLICT (code) DO NOTHING", ct), ct);
            existing = await db.Accounts.AsNoTracking().Where(a => a.Code == code.Value).Select(a => a.Id).FirstAsync(ct);
        }
        // Only committed rows reach here (see above), so the id is safe to remember for every later transaction.
        _ids[code.Value] = existing.GetValueOrDefault();
        return existing.GetValueOrDefault();
    }

    /// <summary>Makes sure the accounts exist (each created in its own committed statement); call before a write transaction.</summary>
    public async Task EnsureAsync(PrepayDb db, IEnumerable<AccountCode> codes, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("Accounts must be ensured before the write transaction begins.");
        }
        foreach (var code in codes)
        {
            await AccountIdAsync(db, code, ct);
        }
    }

    /// <summary>Balance of an account as the database keeps it (0 for an account never used).</summary>
    public static async Task<long> BalanceAsync(PrepayDb db, AccountCode code, CancellationToken ct) =>
        await db.Accounts.AsNoTracking().Where(a => a.Code == code.Value).Select(a => a.Balance).FirstOrDefaultAsync(ct);

    /// <summary>Balances of several accounts in one query, by code (0 for an account never used).</summary>
    public static async Task<IReadOnlyDictionary<string, long>> BalancesAsync(PrepayDb db, IReadOnlyList<AccountCode> codes, CancellationToken ct)
    {
        var names = codes.Select(c => c.Value).ToList();
        var found = await db.Accounts.AsNoTracking().Where(a => names.Contains(a.Code)).Select(a => new { a.Code, a.Balance }).ToListAsync(ct);
        return names.ToDictionary(n => n, n => found.FirstOrDefault(f => f.Code == n)?.Balance ?? 0, StringComparer.Ordinal);
    }

    /// <summary>Adds the transaction and its postings to the context; they are written by the caller's SaveChanges.</summary>
    public async Task AddAsync(PrepayDb db, LedgerTransaction transaction, Instant at, string? reference, CancellationToken ct)
    {
        db.LedgerTransactions.Add(new StoredTransaction
        {
            Id = transaction.Id,
            Kind = transaction.Kind,
            Description = transaction.Description,
            At = at,
            Reference = reference,
        });
        foreach (var p in transaction.Postings)
        {
            db.Postings.Add(new StoredPosting
            {
                TransactionId = transaction.Id,
                DebitAccountId = await AccountIdAsync(db, p.From, ct),
                CreditAccountId = await AccountIdAsync(db, p.To, ct),
                Amount = p.Amount.Minor,
                Currency = p.Amount.Currency.Code,
            });
        }
    }

    /// <summary>
    /// Recomputes every account's balance from its postings and lists the accounts whose kept balance differs.
    /// Empty on a healthy ledger; the tests and <c>prepay db verify</c> use it.
    /// </summary>
    public static async Task<IReadOnlyList<string>> VerifyAsync(PrepayDb db, CancellationToken ct)
    {
        var credits = await db.Postings.GroupBy(p => p.CreditAccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        var debits = await db.Postings.GroupBy(p => p.DebitAccountId).Select(g => new { g.Key, Sum = g.Sum(p => p.Amount) }).ToDictionaryAsync(x => x.Key, x => x.Sum, ct);
        var wrong = new List<string>();
        await foreach (var a in db.Accounts.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var derived = credits.GetValueOrDefault(a.Id) - debits.GetValueOrDefault(a.Id);
            if (derived != a.Balance)
            {
                wrong.Add($"{a.Code}: kept {a.Balance}, postings say {derived}");
            }
        }
        return wrong;
    }
}
