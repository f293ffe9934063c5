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

namespace Prepay.Vending.Debts;

/// <summary>
/// Arrears a customer owes (say, from before prepayment, or a tampered meter): loaded onto the customer's debt
/// account, then recovered from purchases at the tariff's debt-recovery rate until the account is back at zero.
/// </summary>
public sealed class DebtService(IServiceScopeFactory scopes, IClock clock, IdempotentPosting posting)
{
    public const int MaxReasonLength = 500;

    /// <summary>A customer's money with us: credit (the carried remainder) and debt still owed.</summary>
    public sealed record CustomerAccount(Guid CustomerId, string Currency, string Credit, string DebtOutstanding);

    public sealed record DebtLoaded(Guid TransactionId, CustomerAccount Account, bool Replayed);

    public abstract record Outcome
    {
        public sealed record Done(DebtLoaded Debt) : Outcome;
        public sealed record NotFound : Outcome;
        public sealed record KeyReused : Outcome;
        public sealed record Invalid(string Field, string Message) : Outcome;
    }

    public static async Task<CustomerAccount> AccountAsync(PrepayDb db, Guid customerId, Currency currency, CancellationToken ct)
    {
        var credit = await LedgerStore.BalanceAsync(db, AccountCode.CustomerCredit(customerId, currency.Code), ct);
        var debt = await LedgerStore.BalanceAsync(db, AccountCode.CustomerDebt(customerId, currency.Code), ct);
        return new CustomerAccount(customerId, currency.Code, new Money(credit, currency).ToDecimalString(), new Money(Math.Max(0, -debt), currency).ToDecimalString());
    }

    public async Task<Outcome> LoadAsync(Guid customerId, string? idempotencyKey, string? amountText, string? currencyCode, string? reason, Actor actor, CancellationToken ct)
    {
        if (IdempotencyKeys.Problem(idempotencyKey) is { } keyProblem)
        {
            return new Outcome.Invalid("Idempotency-Key", keyProblem);
        }
        if (!Currency.TryFromCode(currencyCode, out var currency))
        {
            return new Outcome.Invalid("currency", "must be a supported ISO 4217 code");
        }
        var parsed = Money.TryParse(amountText, currency);
        if (!parsed.Success || !parsed.Value.IsPositive)
        {
            return new Outcome.Invalid("amount", parsed.Success ? "must be greater than zero" : parsed.Error!);
        }
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength)
        {
            return new Outcome.Invalid("reason", $"is required, at most {MaxReasonLength} characters");
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        if (!await db.Customers.AnyAsync(c => c.Id == customerId, ct))
        {
            return new Outcome.NotFound();
        }
        var amount = parsed.Value;
        var result = await posting.PostAsync(db, customerId, "debt-load", idempotencyKey!, $"{amount}|{reason}",
            id => new LedgerTransaction.Builder(id, TransactionKind.DebtLoaded, $"debt loaded: {reason}")
                .Move(AccountCode.CustomerDebt(customerId, currency.Code), AccountCode.External(currency.Code), amount)
                .Build(),
            new AuditRecord { At = clock.GetCurrentInstant(), Actor = actor.AuditName, Action = "customer.debt.load", Target = $"customer/{customerId}", Details = $"{amount}: {reason}" },
            null, ct);
        return result switch
        {
            IdempotentPosting.Result.Posted p => new Outcome.Done(new DebtLoaded(p.TransactionId, await AccountAsync(db, customerId, currency, ct), p.Replayed)),
            IdempotentPosting.Result.KeyReused => new Outcome.KeyReused(),
            _ => throw new InvalidOperationException($"A debt load cannot be refused by {result}."),
        };
    }
}
