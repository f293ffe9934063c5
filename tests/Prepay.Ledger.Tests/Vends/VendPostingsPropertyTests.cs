using CsCheck;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Samples;
using Prepay.Vending.Vends;

namespace Prepay.Ledger.Tests.Vends;

/// <summary>
/// The tariff engine and the ledger together: a customer buys again and again under a sample tariff, and the postings
/// of each vend are replayed on simulated balances, posting by posting.
/// </summary>
public class VendPostingsPropertyTests
{
    private static readonly IReadOnlyList<TariffDocument> Samples = TariffSamples.LoadAll();

    // 2026-07-02 00:00 in Johannesburg: every sample tariff is in effect from here on.
    private static readonly Instant Start = Instant.FromUtc(2026, 7, 1, 22, 0);

    private sealed record Purchase(long AmountMinor, int HoursLater);

    private sealed record Account(
        TariffDocument Tariff, Instant FirstAt, long DebtMinor, long ArrearsMinor, int PaidThroughDaysBefore, long ResolutionWh,
        int CommissionBasisPoints, List<Purchase> Purchases);

    private static readonly Gen<Account> Accounts =
        from tariff in Gen.OneOf(Samples.ToArray())
        from startHours in Gen.Int[0, 24 * 360]
        from debt in Gen.Frequency((1, Gen.Const(0L)), (2, Gen.Long[1, 500_000]))
        from arrears in Gen.Frequency((2, Gen.Const(0L)), (1, Gen.Long[1, 200_000]))
        from paidThrough in Gen.Int[-1, 60]
        from resolution in Gen.OneOf(1L, 10L, 100L, 1000L)
        from bp in Gen.Int[0, 10_000]
        from purchases in (from amount in Gen.Frequency((3, Gen.Long[1, 2_000]), (5, Gen.Long[2_000, 100_000]), (1, Gen.Long[100_000, 5_000_000]))
                           from hours in Gen.Frequency((3, Gen.Int[0, 24]), (1, Gen.Int[24, 24 * 45]))
                           select new Purchase(amount, hours)).List[1, 12]
        select new Account(tariff, Start + Duration.FromHours(startHours), debt, arrears, paidThrough, resolution, bp, purchases);

    private static PurchaseContext Fresh(Account a)
    {
        var currency = a.Tariff.Currency;
        return PurchaseContext.Fresh(currency, a.ResolutionWh) with
        {
            DebtOutstanding = new Money(a.DebtMinor, currency),
            FixedChargeArrears = new Money(a.ArrearsMinor, currency),
            FixedChargesPaidThrough = a.PaidThroughDaysBefore < 0 ? null : a.Tariff.LocalDateOf(a.FirstAt).PlusDays(-a.PaidThroughDaysBefore),
        };
    }

    [Fact]
    public void Vend_postings_balance_never_overdraw_the_customer_and_leave_exactly_the_remainder_on_the_credit_account()
    {
        Accounts.Sample(a =>
        {
            var customerId = Guid.NewGuid();
            var vendorId = Guid.NewGuid();
            var cur = a.Tariff.Currency.Code;
            var credit = AccountCode.CustomerCredit(customerId, cur).Value;
            var balances = new Dictionary<string, long>(StringComparer.Ordinal);
            var context = Fresh(a);
            var at = a.FirstAt;

            foreach (var purchase in a.Purchases)
            {
                var next = at + Duration.FromHours(purchase.HoursLater);
                if (a.Tariff.MonthOf(next) != a.Tariff.MonthOf(at))
                {
                    context = context.ForNewMonth();
                }
                at = next;
                var quote = TariffEngine.Quote(a.Tariff, new Money(purchase.AmountMinor, a.Tariff.Currency), at, context);
                var t = VendPostings.For(Guid.NewGuid(), Guid.NewGuid(), vendorId, a.CommissionBasisPoints, customerId, quote);

                Assert.Equal(TransactionKind.Vend, t.Kind);
                Assert.Equal(0L, t.NetByAccount().Values.Sum());
                Assert.All(t.Postings, p => Assert.Equal(cur, p.Amount.Currency.Code));

                // The credit account carries the previous remainder in, and never dips below zero between postings.
                Assert.Equal(context.CarriedRemainder.Minor, balances.GetValueOrDefault(credit));
                foreach (var p in t.Postings)
                {
                    balances[p.From.Value] = balances.GetValueOrDefault(p.From.Value) - p.Amount.Minor;
                    balances[p.To.Value] = balances.GetValueOrDefault(p.To.Value) + p.Amount.Minor;
                    Assert.True(balances.GetValueOrDefault(credit) >= 0, $"customer credit {balances[credit]} after {p.From} -> {p.To} {p.Amount}");
                }
                Assert.Equal(quote.CarriedOut.Minor, balances[credit]);
                context = context.After(quote);
            }
        }, iter: 1000);
    }

    [Fact]
    public void Every_part_of_a_quote_reaches_the_account_it_belongs_to()
    {
        Accounts.Sample(a =>
        {
            var customerId = Guid.NewGuid();
            var vendorId = Guid.NewGuid();
            var cur = a.Tariff.Currency.Code;
            var at = a.FirstAt + Duration.FromHours(a.Purchases[0].HoursLater);
            var quote = TariffEngine.Quote(a.Tariff, new Money(a.Purchases[0].AmountMinor, a.Tariff.Currency), at, Fresh(a));

            var net = VendPostings.For(Guid.NewGuid(), Guid.NewGuid(), vendorId, a.CommissionBasisPoints, customerId, quote).NetByAccount();
            long Net(AccountCode code) => net.GetValueOrDefault(code.Value);

            Assert.Equal(-quote.Gross.Minor, Net(AccountCode.VendorFloat(vendorId, cur)));
            Assert.Equal(quote.EnergyCost.Minor, Net(AccountCode.EnergyRevenue(cur)));
            Assert.Equal(quote.FixedCharges.Minor, Net(AccountCode.FixedChargeRevenue(cur)));
            Assert.Equal(quote.DebtRecovered.Minor, Net(AccountCode.CustomerDebt(customerId, cur)));
            Assert.All(quote.Tax, tax => Assert.Equal(tax.Amount.Minor, Net(AccountCode.Tax(tax.Name, cur))));
            Assert.Equal(quote.CarriedOut.Minor - quote.CarriedIn.Minor, Net(AccountCode.CustomerCredit(customerId, cur)));

            // Commission: the vendor's rate of the gross, rounded down, paid by the commission expense account.
            var commission = Net(AccountCode.VendorCommission(vendorId, cur));
            Assert.Equal(-commission, Net(AccountCode.CommissionExpense(cur)));
            Assert.InRange(commission * 10_000, quote.Gross.Minor * a.CommissionBasisPoints - 9_999, quote.Gross.Minor * a.CommissionBasisPoints);
        }, iter: 1000);
    }

    [Fact]
    public void Reversing_every_vend_of_a_sequence_restores_every_account_to_zero()
    {
        Accounts.Sample(a =>
        {
            var customerId = Guid.NewGuid();
            var vendorId = Guid.NewGuid();
            var balances = new Dictionary<string, long>(StringComparer.Ordinal);
            var context = Fresh(a);
            var at = a.FirstAt;
            var vends = new List<LedgerTransaction>();
            foreach (var purchase in a.Purchases)
            {
                at += Duration.FromHours(purchase.HoursLater);
                var quote = TariffEngine.Quote(a.Tariff, new Money(purchase.AmountMinor, a.Tariff.Currency), at, context);
                vends.Add(VendPostings.For(Guid.NewGuid(), Guid.NewGuid(), vendorId, a.CommissionBasisPoints, customerId, quote));
                context = context.After(quote);
            }
            foreach (var t in vends.Concat(vends.Select(v => v.Reversal(Guid.NewGuid(), "refund"))))
            {
                foreach (var (account, change) in t.NetByAccount())
                {
                    balances[account] = balances.GetValueOrDefault(account) + change;
                }
            }
            Assert.All(balances, b => Assert.Equal(0L, b.Value));
        }, iter: 300);
    }

    [Fact]
    public void A_vend_of_a_small_amount_that_buys_nothing_still_moves_the_payment_and_keeps_it_as_credit()
    {
        var tariff = TariffSamples.Load(TariffSamples.ResidentialFlat);
        var customerId = Guid.NewGuid();
        var context = PurchaseContext.Fresh(tariff.Currency);
        // One cent cannot buy 0.1 kWh at 2.85/kWh: it is carried out whole.
        var quote = TariffEngine.Quote(tariff, new Money(1, tariff.Currency), Start, context);
        Assert.Equal(0, quote.Energy.WattHours);

        var t = VendPostings.For(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 0, customerId, quote);
        var posting = Assert.Single(t.Postings);
        Assert.Equal(AccountCode.CustomerCredit(customerId, "ZAR"), posting.To);
        Assert.Equal(1, posting.Amount.Minor);
    }
}
