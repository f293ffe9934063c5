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
/// account, then recovered from purchases at the tariff's debt-recovery rate until the account is back at zero. Loads and
/// write-offs need two people (<c>Approvals/DebtApprovals</c>); this is the account as it stands.
/// </summary>
public sealed class DebtService
{
    /// <summary>A customer's money with us: credit (the carried remainder) and debt still owed.</summary>
    public sealed record CustomerAccount(Guid CustomerId, string Currency, string Credit, string DebtOutstanding);

    public static async Task<CustomerAccount> AccountAsync(PrepayDb db, Guid customerId, Currency currency, CancellationToken ct)
    {
        var credit = await LedgerStore.BalanceAsync(db, AccountCode.CustomerCredit(customerId, currency.Code), ct);
        var debt = await LedgerStore.BalanceAsync(db, AccountCode.CustomerDebt(customerId, currency.Code), ct);
        return new CustomerAccount(customerId, currency.Code, new Money(credit, currency).ToDecimalString(), new Money(Math.Max(0, -debt), currency).ToDecimalString());
    }
}
