using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;

namespace Prepay.CentralCredit.Posting;

/// <summary>
/// What a meter's central balance owes each account over one batch, signed (a correction that lowers an interval's
/// price refunds), summed exactly from each interval's charges. <see cref="Transaction"/> turns it into one balanced
/// ledger transaction: every amount leaves the meter's central account for where it belongs, or comes back.
/// </summary>
internal sealed class ChargeTotals(Guid meterId, Currency currency)
{
    private readonly Dictionary<AccountCode, long> _owed = [];

    public Guid MeterId => meterId;
    public Currency Currency => currency;

    /// <summary>The net amount taken from the central balance so far (negative: given back).</summary>
    public long Net => _owed.Values.Sum();

    public AccountCode CentralAccount => AccountCode.MeterCentralCredit(meterId, currency.Code);

    public void Add(IntervalCharges charges, Guid? customerId, int sign = 1)
    {
        var cur = currency.Code;
        Owe(AccountCode.EnergyRevenue(cur), sign * charges.EnergyRevenue.Minor);
        Owe(AccountCode.FixedChargeRevenue(cur), sign * charges.FixedChargeRevenue.Minor);
        foreach (var tax in charges.Taxes)
        {
            Owe(AccountCode.Tax(tax.Name, cur), sign * tax.Amount.Minor);
        }
        if (!charges.DebtRecovered.IsZero)
        {
            Owe(AccountCode.CustomerDebt(customerId ?? throw new InvalidOperationException("Debt recovered for a meter with no customer."), cur), sign * charges.DebtRecovered.Minor);
        }
    }

    private void Owe(AccountCode account, long amount) => _owed[account] = checked(_owed.GetValueOrDefault(account) + amount);

    /// <summary>The batch's ledger transaction, or null when every account nets to zero.</summary>
    public LedgerTransaction? Transaction(Guid id, string description)
    {
        if (_owed.Values.All(v => v == 0))
        {
            return null;
        }
        var builder = new LedgerTransaction.Builder(id, TransactionKind.Consumption, description);
        foreach (var (account, amount) in _owed.OrderBy(o => o.Key.Value, StringComparer.Ordinal))
        {
            if (amount > 0)
            {
                builder.Move(CentralAccount, account, new Money(amount, currency));
            }
            else if (amount < 0)
            {
                builder.Move(account, CentralAccount, new Money(-amount, currency));
            }
        }
        return builder.Build();
    }
}
