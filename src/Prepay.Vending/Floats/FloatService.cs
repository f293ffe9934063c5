using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;

namespace Prepay.Vending.Floats;

/// <summary>A vendor pays money in and its float grows: the only way a vendor gets something to sell.</summary>
public sealed class FloatService(IServiceScopeFactory scopes, IClock clock, LedgerStore ledger)
{
    public sealed record Deposit(Guid TransactionId, Guid VendorId, string Amount, string Currency, string Balance, bool Replayed);

    public abstract record Outcome
    {
        public sealed record Done(Deposit Deposit) : Outcome;
        public sealed record NotFound : Outcome;
        public sealed record KeyReused : Outcome;
        public sealed record Invalid(string Field, string Message) : Outcome;
    }

    public async Task<Outcome> DepositAsync(Guid vendorId, string? idempotencyKey, string? amountText, string? reference, Actor actor, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
        {
            return new Outcome.Invalid("Idempotency-Key", "header is required (at most 100 characters)");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return new Outcome.NotFound();
        }
        var currency = Currency.FromCode(vendor.Currency);
        var parsed = Money.TryParse(amountText, currency);
        if (!parsed.Success || !parsed.Value.IsPositive)
        {
            return new Outcome.Invalid("amount", parsed.Success ? "must be greater than zero" : parsed.Error!);
        }
        var amount = parsed.Value;
        var key = "float-deposit:" + idempotencyKey;
        var hash = $"{amount.Minor}|{reference}";
        var now = clock.GetCurrentInstant();
        var transactionId = Guid.CreateVersion7(now.ToDateTimeOffset());
        var floatAccount = AccountCode.VendorFloat(vendorId, vendor.Currency);
        await ledger.AccountIdAsync(db, floatAccount, ct);

        await using var tx = await db.BeginWriteAsync(ct);
        var claimed = await db.Database.ExecuteSqlAsync(
            $"INSERT INTO idempotency_claims (scope_id, key, request_hash, result_id) VALUES ({vendorId}, {key}, {hash}, {transactionId}) ON CONFLICT DO NOTHING", ct);
        if (claimed == 0)
        {
            await tx.RollbackAsync(ct);
            var claim = await db.IdempotencyClaims.AsNoTracking().FirstAsync(c => c.ScopeId == vendorId && c.Key == key, ct);
            if (claim.RequestHash != hash)
            {
                return new Outcome.KeyReused();
            }
            return new Outcome.Done(new Deposit(claim.ResultId, vendorId, amount.ToDecimalString(), vendor.Currency,
                new Money(await LedgerStore.BalanceAsync(db, floatAccount, ct), currency).ToDecimalString(), Replayed: true));
        }
        var transaction = new LedgerTransaction.Builder(transactionId, TransactionKind.FloatDeposit, $"float deposit {reference}".Trim())
            .Move(AccountCode.External(vendor.Currency), floatAccount, amount)
            .Build();
        await ledger.AddAsync(db, transaction, now, reference, ct);
        db.Audit.Add(new AuditRecord { At = now, Actor = actor.AuditName, Action = "vendor.float.deposit", Target = $"vendor/{vendorId}", Details = $"{amount} ref {reference}" });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Outcome.Done(new Deposit(transactionId, vendorId, amount.ToDecimalString(), vendor.Currency,
            new Money(await LedgerStore.BalanceAsync(db, floatAccount, ct), currency).ToDecimalString(), Replayed: false));
    }
}
