namespace Prepay.Ledger.Accounts;

/// <summary>
/// The stable name of a ledger account, e.g. <c>vendor/6f1c…/float/ZAR</c> or <c>tax/VAT/ZAR</c>.
/// One account per owner, purpose and currency; the code is unique in the database.
/// </summary>
public readonly record struct AccountCode(string Value, AccountKind Kind, string Currency)
{
    public static AccountCode CustomerCredit(Guid customer, string currency) => new($"customer/{customer:N}/credit/{currency}", AccountKind.CustomerCredit, currency);
    public static AccountCode CustomerDebt(Guid customer, string currency) => new($"customer/{customer:N}/debt/{currency}", AccountKind.CustomerDebt, currency);
    public static AccountCode VendorFloat(Guid vendor, string currency) => new($"vendor/{vendor:N}/float/{currency}", AccountKind.VendorFloat, currency);
    public static AccountCode VendorCommission(Guid vendor, string currency) => new($"vendor/{vendor:N}/commission/{currency}", AccountKind.VendorCommission, currency);
    public static AccountCode EnergyRevenue(string currency) => new($"revenue/energy/{currency}", AccountKind.EnergyRevenue, currency);
    public static AccountCode FixedChargeRevenue(string currency) => new($"revenue/fixed/{currency}", AccountKind.FixedChargeRevenue, currency);
    public static AccountCode Tax(string taxName, string currency) => new($"tax/{taxName}/{currency}", AccountKind.Tax, currency);
    public static AccountCode CommissionExpense(string currency) => new($"expense/commission/{currency}", AccountKind.CommissionExpense, currency);
    public static AccountCode FreeEnergy(string currency) => new($"subsidy/free-energy/{currency}", AccountKind.FreeEnergy, currency);
    public static AccountCode DebtWriteOff(string currency) => new($"expense/debt-write-off/{currency}", AccountKind.DebtWriteOff, currency);
    public static AccountCode RefundsOwed(string provider, string currency) => new($"payments/{provider}/refunds-owed/{currency}", AccountKind.RefundsOwed, currency);
    /// <summary>
    /// A central-credit meter's balance: top-ups credit it, its priced consumption debits it. It may go below zero
    /// (consumption already used is owed, the meter is then asked to disconnect), so it has no minimum.
    /// </summary>
    public static AccountCode MeterCentralCredit(Guid meter, string currency) => new($"meter/{meter:N}/central-credit/{currency}", AccountKind.MeterCentralCredit, currency);
    public static AccountCode External(string currency) => new($"external/{currency}", AccountKind.External, currency);

    /// <summary>
    /// The lowest balance the database lets this account reach, or null for no limit.
    /// Floats and customer credit can never be overdrawn; debt only moves towards zero from below.
    /// </summary>
    public long? MinimumBalance => Kind switch
    {
        AccountKind.VendorFloat or AccountKind.CustomerCredit => 0,
        _ => null,
    };

    public override string ToString() => Value;
}
