using CsCheck;
using Prepay.Domain.Money;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Quotes;
using Xunit;
using static Prepay.Tariffs.Tests.Quotes.TariffGenerators;

namespace Prepay.Tariffs.Tests.Quotes;

public class QuotePropertyTests
{
    private static Gen<(TariffDocument Tariff, NodaTime.Instant At, PurchaseContext Context, Money Amount)> Purchase =>
        from tariff in Tariff
        from at in At
        from context in Context(tariff.Currency, tariff.LocalDateOf(at))
        from amount in Amount
        select (tariff, at, context, new Money(amount, tariff.Currency));

    [Fact]
    public void Every_quote_accounts_for_every_minor_unit_paid_and_carried_in()
    {
        Purchase.Sample((tariff, at, context, amount) =>
        {
            var q = TariffEngine.Quote(tariff, amount, at, context);

            Assert.True(q.IsBalanced, $"{q.Gross}+{q.CarriedIn} != {q.TaxTotal}+{q.FixedCharges}+{q.DebtRecovered}+{q.EnergyCost}+{q.CarriedOut}");
            Money[] parts = [q.TaxTotal, q.FixedCharges, q.DebtRecovered, q.EnergyCost, q.CarriedOut, q.NetForEnergy, q.FixedChargeArrearsAfter];
            Assert.All(parts, p => Assert.False(p.IsNegative));
            Assert.Equal(0, q.Energy.WattHours % context.MeterResolutionWh);
            Assert.Equal(q.Energy.WattHours, q.Lines.Sum(l => l.Energy.WattHours));
            Assert.True(q.DebtRecovered <= context.DebtOutstanding);
            if (tariff.DebtRecovery?.MonthlyCap is { } cap && q.DebtRecovered.IsPositive)
            {
                Assert.True(context.DebtRecoveredThisMonth + q.DebtRecovered <= cap);
            }
        }, iter: 2000);
    }

    [Fact]
    public void The_remainder_carried_out_cannot_buy_one_more_resolution_unit()
    {
        Purchase.Sample((tariff, at, context, amount) =>
        {
            var q = TariffEngine.Quote(tariff, amount, at, context);
            var zero = Money.Zero(tariff.Currency);
            var next = context.After(q) with { DebtOutstanding = zero, FixedChargeArrears = zero };

            var spendRemainder = TariffEngine.Quote(tariff, zero, at, next);

            Assert.Equal(0, spendRemainder.Energy.WattHours);
            Assert.Equal(q.CarriedOut, spendRemainder.CarriedOut);
        }, iter: 1000);
    }

    [Fact]
    public void Two_purchases_never_buy_more_energy_than_one_purchase_of_their_sum_beyond_one_resolution_unit()
    {
        var gen = from p in Purchase from second in Amount select (p, second);
        gen.Sample(x =>
        {
            var ((tariff, at, context, a), bMinor) = x;
            var b = new Money(bMinor, tariff.Currency);
            var first = TariffEngine.Quote(tariff, a, at, context);
            var then = TariffEngine.Quote(tariff, b, at, context.After(first));
            var once = TariffEngine.Quote(tariff, a + b, at, context);

            Assert.True(first.Energy.WattHours + then.Energy.WattHours <= once.Energy.WattHours + context.MeterResolutionWh,
                $"{first.Energy} + {then.Energy} > {once.Energy} + {context.MeterResolutionWh} Wh");
        }, iter: 2000);
    }

    [Fact]
    public void Nothing_is_lost_to_rounding_over_a_month_of_purchases()
    {
        var gen = from p in Purchase from more in Amount.List[1, 10] from hours in Gen.Int[0, 48] select (p, more, hours);
        gen.Sample(x =>
        {
            var ((tariff, at, context, first), more, hours) = x;
            var startCarried = context.CarriedRemainder;
            var startRecovered = context.DebtRecoveredThisMonth;
            var paid = Money.Zero(tariff.Currency);
            var allocated = Money.Zero(tariff.Currency);
            var when = at;
            foreach (var amount in more.Select(m => new Money(m, tariff.Currency)).Prepend(first))
            {
                if (tariff.MonthOf(when) != tariff.MonthOf(at))
                {
                    break;
                }
                var q = TariffEngine.Quote(tariff, amount, when, context);
                paid += q.Gross;
                allocated += q.TaxTotal + q.FixedCharges + q.DebtRecovered + q.EnergyCost;
                context = context.After(q);
                when = when.Plus(NodaTime.Duration.FromHours(hours));
            }

            Assert.Equal(paid + startCarried, allocated + context.CarriedRemainder);
            if (tariff.DebtRecovery?.MonthlyCap is { } cap)
            {
                Assert.True(context.DebtRecoveredThisMonth <= Money.Max(cap, startRecovered));
            }
        }, iter: 500);
    }

    [Fact]
    public void A_random_tariff_survives_a_round_trip_through_JSON()
    {
        Tariff.Sample(tariff =>
        {
            var json = TariffDocumentJson.Serialize(tariff);
            Assert.Equal(json, TariffDocumentJson.Serialize(TariffDocumentJson.Parse(json)));
        }, iter: 300);
    }
}
