using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records;
using Prepay.Vending.Postings;

namespace Prepay.Vending.Floats;

/// <summary>
/// The system's own float deposits, for work no person asks for: the demo's opening floats and benchmarks' top-ups.
/// Staff deposit through <c>Approvals/FloatDeposits</c> (one asks, another approves); this path has no API or page,
/// and its actor is always <see cref="Actor.System"/>, audited as such with no key or person id.
/// </summary>
public sealed class FloatService(IServiceScopeFactory scopes, IClock clock, IdempotentPosting posting)
{
    public sealed record Deposit(Guid TransactionId, Guid VendorId, string Amount, string Currency, string Balance, bool Replayed);

    public abstract record Outcome
    {
        public sealed record Done(Deposit Deposit) : Outcome;
        public sealed record NotFound : Outcome;
        public sealed record KeyReused : Outcome;
        public sealed record Invalid(string Field, string Message) : Outcome;
    }

    public async Task<Outcome> SystemDepositAsync(Guid vendorId, string idempotencyKey, string amountText, string reference, string purpose, CancellationToken ct)
    {
        var actor = Actor.System(purpose);
        if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            return new Outcome.Invalid("Idempotency-Key", keyProblem);
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
        var floatAccount = AccountCode.VendorFloat(vendorId, vendor.Currency);
        var result = await posting.PostAsync(db, vendorId, "float-deposit", idempotencyKey!, $"{amount.Minor}|{reference}",
            id => new LedgerTransaction.Builder(id, TransactionKind.FloatDeposit, $"float deposit {reference}".Trim())
                .Move(AccountCode.External(vendor.Currency), floatAccount, amount)
                .Build(),
            new AuditRecord { At = clock.GetCurrentInstant(), Actor = actor.AuditName, ActorId = actor.AuditId, Action = "vendor.float.deposit", Target = $"vendor/{vendorId}", Details = $"{amount} ref {reference}" },
            reference, ct);
        return result switch
        {
            IdempotentPosting.Result.Posted p => new Outcome.Done(new Deposit(p.TransactionId, vendorId, amount.ToDecimalString(), vendor.Currency,
                new Money(await LedgerStore.BalanceAsync(db, floatAccount, ct), currency).ToDecimalString(), p.Replayed)),
            IdempotentPosting.Result.KeyReused => new Outcome.KeyReused(),
            _ => throw new InvalidOperationException($"A deposit cannot be refused by {result}."),
        };
    }
}
