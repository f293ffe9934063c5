using Prepay.Ledger.Accounts;

namespace Prepay.Ledger.Tests.Accounts;

public class AccountCodeTests
{
    private static readonly Guid Owner = Guid.Parse("6f1c0000-0000-0000-0000-0000000000aa");

    private static IEnumerable<AccountCode> EveryKind(Guid owner, string currency) =>
    [
        AccountCode.CustomerCredit(owner, currency),
        AccountCode.CustomerDebt(owner, currency),
        AccountCode.VendorFloat(owner, currency),
        AccountCode.VendorCommission(owner, currency),
        AccountCode.EnergyRevenue(currency),
        AccountCode.FixedChargeRevenue(currency),
        AccountCode.Tax("VAT", currency),
        AccountCode.CommissionExpense(currency),
        AccountCode.FreeEnergy(currency),
        AccountCode.External(currency),
        AccountCode.DebtWriteOff(currency),
        AccountCode.RefundsOwed("sandbox", currency),
        AccountCode.MeterCentralCredit(owner, currency),
    ];

    [Fact]
    public void Every_factory_makes_its_own_kind_in_the_given_currency_with_the_currency_last_in_the_code()
    {
        var codes = EveryKind(Owner, "KES").ToList();
        Assert.Equal(Enum.GetValues<AccountKind>().Order(), codes.Select(c => c.Kind).Order());
        Assert.All(codes, c => Assert.Equal("KES", c.Currency));
        Assert.All(codes, c => Assert.EndsWith("/KES", c.Value, StringComparison.Ordinal));
        Assert.Equal(codes.Count, codes.Select(c => c.Value).Distinct().Count());
    }

    [Fact]
    public void Only_vendor_floats_and_customer_credit_have_a_floor_of_zero()
    {
        foreach (var code in EveryKind(Owner, "ZAR"))
        {
            var expected = code.Kind is AccountKind.VendorFloat or AccountKind.CustomerCredit ? 0L : (long?)null;
            Assert.Equal(expected, code.MinimumBalance);
        }
    }

    [Fact]
    public void Accounts_of_different_owners_or_currencies_never_share_a_code()
    {
        var other = Guid.Parse("00000000-0000-0000-0000-000000000001");
        Assert.NotEqual(AccountCode.CustomerCredit(Owner, "ZAR").Value, AccountCode.CustomerCredit(other, "ZAR").Value);
        Assert.NotEqual(AccountCode.CustomerCredit(Owner, "ZAR").Value, AccountCode.CustomerCredit(Owner, "USD").Value);
        Assert.NotEqual(AccountCode.VendorFloat(Owner, "ZAR").Value, AccountCode.VendorCommission(Owner, "ZAR").Value);
        Assert.NotEqual(AccountCode.Tax("VAT", "ZAR").Value, AccountCode.Tax("Levy", "ZAR").Value);
    }

    [Fact]
    public void The_code_prints_as_its_value_and_names_the_owner_without_dashes()
    {
        var code = AccountCode.VendorFloat(Owner, "ZAR");
        Assert.Equal("vendor/6f1c00000000000000000000000000aa/float/ZAR", code.ToString());
        Assert.Equal(code.Value, code.ToString());
    }
}
