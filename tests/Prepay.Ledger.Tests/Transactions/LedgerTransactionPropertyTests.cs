using CsCheck;
using Prepay.Ledger.Transactions;
using static Prepay.Ledger.Tests.Transactions.LedgerGenerators;

namespace Prepay.Ledger.Tests.Transactions;

public class LedgerTransactionPropertyTests
{
    [Fact]
    public void Every_transaction_nets_to_zero_in_each_currency()
    {
        Transaction.Sample(t =>
        {
            var currencyOf = CurrencyOfAccounts(t);
            var net = t.NetByAccount();
            Assert.Equal(currencyOf.Keys.Order(StringComparer.Ordinal), net.Keys.Order(StringComparer.Ordinal));
            foreach (var perCurrency in net.GroupBy(n => currencyOf[n.Key]))
            {
                Assert.Equal(0L, perCurrency.Sum(n => n.Value));
            }
        }, iter: 2000);
    }

    [Fact]
    public void An_account_that_only_receives_nets_the_sum_of_what_it_received()
    {
        Transaction.Sample(t =>
        {
            var net = t.NetByAccount();
            var payers = t.Postings.Select(p => p.From.Value).ToHashSet(StringComparer.Ordinal);
            foreach (var receiver in t.Postings.Select(p => p.To.Value).Distinct().Where(a => !payers.Contains(a)))
            {
                var received = t.Postings.Where(p => p.To.Value == receiver).Sum(p => p.Amount.Minor);
                Assert.Equal(received, net[receiver]);
                Assert.True(net[receiver] > 0);
            }
        }, iter: 1000);
    }

    [Fact]
    public void A_transaction_and_its_reversal_together_leave_every_account_at_zero()
    {
        Transaction.Sample(t =>
        {
            var reversal = t.Reversal(Guid.NewGuid(), "undo");
            Assert.Equal(t.Postings.Length, reversal.Postings.Length);
            var net = t.NetByAccount();
            var undone = reversal.NetByAccount();
            Assert.Equal(net.Keys.Order(StringComparer.Ordinal), undone.Keys.Order(StringComparer.Ordinal));
            Assert.All(net, n => Assert.Equal(0L, n.Value + undone[n.Key]));
        }, iter: 2000);
    }

    [Fact]
    public void Reversing_a_random_sequence_of_transactions_restores_every_balance_to_zero()
    {
        Transaction.List[1, 20].Sample(transactions =>
        {
            var balances = new Dictionary<string, long>(StringComparer.Ordinal);
            var currencyOf = new Dictionary<string, string>(StringComparer.Ordinal);
            void Apply(LedgerTransaction t)
            {
                foreach (var (account, change) in t.NetByAccount())
                {
                    balances[account] = checked(balances.GetValueOrDefault(account) + change);
                }
                foreach (var (account, currency) in CurrencyOfAccounts(t))
                {
                    currencyOf[account] = currency;
                }
            }

            foreach (var t in transactions)
            {
                Apply(t);
                // The books balance after every transaction, not only at the end.
                Assert.All(balances.GroupBy(b => currencyOf[b.Key]), g => Assert.Equal(0L, g.Sum(b => b.Value)));
            }
            Assert.Contains(balances.Values, b => b != 0);

            foreach (var t in Enumerable.Reverse(transactions))
            {
                Apply(t.Reversal(Guid.NewGuid(), "undo"));
            }
            Assert.All(balances, b => Assert.Equal(0L, b.Value));
        }, iter: 500);
    }

    [Fact]
    public void Building_drops_zero_amounts_and_keeps_every_other_move_in_order()
    {
        Move.List[1, 10].Sample(moves =>
        {
            var nonZero = moves.Where(m => !m.Amount.IsZero).ToList();
            var builder = new LedgerTransaction.Builder(Guid.NewGuid(), TransactionKind.Adjustment, "mixed");
            foreach (var (from, to, amount) in moves)
            {
                builder.Move(from, to, amount);
            }
            if (nonZero.Count == 0)
            {
                Assert.Throws<InvalidOperationException>(() => builder.Build());
                return;
            }
            var t = builder.Build();
            Assert.Equal(nonZero.Select(m => new Posting(m.From, m.To, m.Amount)), t.Postings);
            Assert.All(t.Postings, p => Assert.True(p.Amount.IsPositive));
        }, iter: 2000);
    }
}
