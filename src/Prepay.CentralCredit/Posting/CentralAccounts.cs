using Prepay.Ledger.Accounts;
using Prepay.Tariffs.Documents;

namespace Prepay.CentralCredit.Posting;

/// <summary>Every account a central-credit meter's consumption under a tariff may post to, created before the write transaction.</summary>
internal static class CentralAccounts
{
    public static IEnumerable<AccountCode> For(Guid meterId, Guid? customerId, TariffDocument tariff)
    {
        var cur = tariff.Currency.Code;
        yield return AccountCode.MeterCentralCredit(meterId, cur);
        yield return AccountCode.EnergyRevenue(cur);
        yield return AccountCode.FixedChargeRevenue(cur);
        foreach (var tax in tariff.Taxes)
        {
            yield return AccountCode.Tax(tax.Name, cur);
        }
        if (tariff.DebtRecovery is not null && customerId is { } customer)
        {
            yield return AccountCode.CustomerDebt(customer, cur);
        }
    }
}
