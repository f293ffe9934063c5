using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Tariffs.Quotes;

namespace Prepay.Vending.Vends;

/// <summary>
/// The ledger transaction of a vend. The paid amount moves from the vendor's float to the customer's credit; from
/// there each part of the quote moves to where it belongs; what is left is the remainder carried to the next
/// purchase. The vendor's commission is a separate pair of postings.
/// </summary>
internal static class VendPostings
{
    public static LedgerTransaction For(Guid transactionId, Guid vendId, Guid vendorId, int commissionBasisPoints, Guid customerId, PurchaseQuote quote)
    {
        var cur = quote.Gross.Currency.Code;
        var customer = AccountCode.CustomerCredit(customerId, cur);
        var builder = new LedgerTransaction.Builder(transactionId, TransactionKind.Vend, $"vend {vendId:N}")
            .Move(AccountCode.VendorFloat(vendorId, cur), customer, quote.Gross);
        foreach (var tax in quote.Tax)
        {
            builder.Move(customer, AccountCode.Tax(tax.Name, cur), tax.Amount);
        }
        builder
            .Move(customer, AccountCode.FixedChargeRevenue(cur), quote.FixedCharges)
            .Move(customer, AccountCode.CustomerDebt(customerId, cur), quote.DebtRecovered)
            .Move(customer, AccountCode.EnergyRevenue(cur), quote.EnergyCost)
            .Move(AccountCode.CommissionExpense(cur), AccountCode.VendorCommission(vendorId, cur), Commission(quote.Gross, commissionBasisPoints));
        return builder.Build();
    }

    /// <summary>
    /// The ledger transaction of a top-up of a central-credit meter: the whole amount paid moves from the vendor's float
    /// to the meter's central balance, and the commission as for any vend. Nothing is priced here: taxes, fixed charges
    /// and debt recovery are taken as the meter's consumption is priced (Prepay.CentralCredit).
    /// </summary>
    public static LedgerTransaction ForCentralCredit(Guid transactionId, Guid vendId, Guid vendorId, int commissionBasisPoints, Guid meterId, Money gross)
    {
        var cur = gross.Currency.Code;
        return new LedgerTransaction.Builder(transactionId, TransactionKind.Vend, $"vend {vendId:N} to central credit")
            .Move(AccountCode.VendorFloat(vendorId, cur), AccountCode.MeterCentralCredit(meterId, cur), gross)
            .Move(AccountCode.CommissionExpense(cur), AccountCode.VendorCommission(vendorId, cur), Commission(gross, commissionBasisPoints))
            .Build();
    }

    /// <summary>Every account a vend under this tariff may post to, so they can all exist before its transaction begins.</summary>
    public static IEnumerable<AccountCode> Accounts(Guid vendorId, Guid customerId, Tariffs.Documents.TariffDocument tariff)
    {
        var cur = tariff.Currency.Code;
        yield return AccountCode.VendorFloat(vendorId, cur);
        yield return AccountCode.CustomerCredit(customerId, cur);
        yield return AccountCode.CustomerDebt(customerId, cur);
        yield return AccountCode.FixedChargeRevenue(cur);
        yield return AccountCode.EnergyRevenue(cur);
        yield return AccountCode.CommissionExpense(cur);
        yield return AccountCode.VendorCommission(vendorId, cur);
        foreach (var tax in tariff.Taxes)
        {
            yield return AccountCode.Tax(tax.Name, cur);
        }
    }

    /// <summary>Commission in basis points of the gross, rounded down to a minor unit (the vendor never gets more than its rate).</summary>
    public static Money Commission(Money gross, int basisPoints) =>
        new(checked(gross.Minor * basisPoints) / 10_000, gross.Currency);
}
