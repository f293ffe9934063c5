using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;

namespace Prepay.Ledger.Tests.Transactions;

public class PostingTests
{
    private static readonly Guid Vendor = Guid.NewGuid();
    private static readonly Guid Customer = Guid.NewGuid();
    private static readonly AccountCode Float = AccountCode.VendorFloat(Vendor, "ZAR");
    private static readonly AccountCode Credit = AccountCode.CustomerCredit(Customer, "ZAR");

    private static Money Zar(long minor) => new(minor, Currency.ZAR);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(-1_000_000_000_000_000_000)]
    public void A_posting_of_zero_or_less_is_refused(long minor)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Posting(Float, Credit, Zar(minor)));
        Assert.Equal("amount", e.ParamName);
        Assert.Contains("positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_refusal_of_the_most_negative_amount_can_be_printed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Posting(Float, Credit, Zar(long.MinValue)));
        Assert.Contains("positive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_posting_from_an_account_to_itself_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Posting(Credit, Credit, Zar(100)));
        Assert.Equal("to", e.ParamName);
    }

    [Fact]
    public void A_posting_between_two_codes_with_the_same_value_is_refused_even_if_the_kinds_differ()
    {
        var lookalike = new AccountCode(Credit.Value, AccountKind.External, "ZAR");
        Assert.Throws<ArgumentException>(() => new Posting(Credit, lookalike, Zar(100)));
    }

    [Fact]
    public void A_posting_whose_amount_is_in_another_currency_than_the_accounts_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Posting(Float, Credit, new Money(100, Currency.USD)));
        Assert.Equal("amount", e.ParamName);
    }

    [Fact]
    public void A_posting_between_accounts_of_two_currencies_is_refused_whichever_side_differs()
    {
        var usdCredit = AccountCode.CustomerCredit(Customer, "USD");
        var usdFloat = AccountCode.VendorFloat(Vendor, "USD");
        Assert.Throws<ArgumentException>(() => new Posting(Float, usdCredit, Zar(100)));
        Assert.Throws<ArgumentException>(() => new Posting(usdFloat, Credit, Zar(100)));
        Assert.Throws<ArgumentException>(() => new Posting(Float, usdCredit, new Money(100, Currency.USD)));
    }

    [Fact]
    public void A_valid_posting_keeps_its_accounts_and_amount_and_its_reversal_swaps_the_accounts()
    {
        var p = new Posting(Float, Credit, Zar(12_345));
        Assert.Equal(Float, p.From);
        Assert.Equal(Credit, p.To);
        Assert.Equal(Zar(12_345), p.Amount);

        var r = p.Reversed();
        Assert.Equal(Credit, r.From);
        Assert.Equal(Float, r.To);
        Assert.Equal(p.Amount, r.Amount);
        Assert.Equal(p, r.Reversed());
    }

    [Fact]
    public void The_builder_refuses_a_negative_amount_instead_of_swapping_silently()
    {
        var builder = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.Adjustment, "x");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => builder.Move(Float, Credit, Zar(-1)));
        Assert.Equal("amount", e.ParamName);
    }

    [Fact]
    public void A_transaction_with_no_postings_cannot_be_built()
    {
        var empty = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.Adjustment, "nothing");
        Assert.Throws<InvalidOperationException>(() => empty.Build());
        var onlyZeros = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.Adjustment, "zeros").Move(Float, Credit, Zar(0));
        Assert.Throws<InvalidOperationException>(() => onlyZeros.Build());
    }

    [Fact]
    public void The_builder_still_checks_each_posting_it_adds()
    {
        var builder = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.Adjustment, "x");
        Assert.Throws<ArgumentException>(() => builder.Move(Credit, Credit, Zar(5)));
        Assert.Throws<ArgumentException>(() => builder.Move(Float, Credit, new Money(5, Currency.USD)));
    }

    [Fact]
    public void A_built_transaction_keeps_its_id_kind_description_and_postings_in_order()
    {
        var id = Guid.NewGuid();
        var revenue = AccountCode.EnergyRevenue("ZAR");
        var t = new LedgerTransaction.Builder(id, TransactionKind.Vend, "vend 1")
            .Move(Float, Credit, Zar(10_000))
            .Move(Credit, revenue, Zar(9_000))
            .Build();
        Assert.Equal(id, t.Id);
        Assert.Equal(TransactionKind.Vend, t.Kind);
        Assert.Equal("vend 1", t.Description);
        Assert.Equal([new Posting(Float, Credit, Zar(10_000)), new Posting(Credit, revenue, Zar(9_000))], t.Postings);

        var net = t.NetByAccount();
        Assert.Equal(-10_000, net[Float.Value]);
        Assert.Equal(1_000, net[Credit.Value]);
        Assert.Equal(9_000, net[revenue.Value]);
    }

    [Fact]
    public void A_reversal_has_its_own_id_and_reason_and_undoes_every_posting()
    {
        var t = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.FloatDeposit, "deposit")
            .Move(AccountCode.External("ZAR"), Float, Zar(50_000))
            .Build();
        var reversalId = Guid.NewGuid();
        var r = t.Reversal(reversalId, "bank bounced");
        Assert.Equal(reversalId, r.Id);
        Assert.Equal(TransactionKind.Reversal, r.Kind);
        Assert.Equal("bank bounced", r.Description);
        Assert.Equal(-50_000, r.NetByAccount()[Float.Value]);
        Assert.Equal(50_000, r.NetByAccount()[AccountCode.External("ZAR").Value]);
    }
}
