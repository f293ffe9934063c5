using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Taxes;

/// <summary>
/// Taxes on a tariff price P (rates and fixed charges as published). The order, and the rounding:
/// <list type="number">
/// <item>Exclusive taxes are each computed on P and added: tax_i = ceil(P × r_i). Rounded UP so that splitting a
/// purchase in two never pays less tax than buying once (ceil(a) + ceil(b) ≥ ceil(a + b)).</item>
/// <item>Inclusive taxes are inside P: their total is P − round_half_even(P / (1 + Σ r_incl)); each line but the
/// last is round_half_even(net × r_i), the last takes the rest, so the lines add up to the total exactly.</item>
/// </list>
/// The customer pays P + Σ exclusive taxes. Taxes are never taxed, and a tariff with both kinds computes both on P.
/// </summary>
public static class TaxCalculator
{
    public static Money WithExclusiveTaxes(IReadOnlyList<TaxRule> taxes, Money price)
    {
        var total = price;
        foreach (var tax in taxes)
        {
            if (!tax.Inclusive)
            {
                total += Exclusive(tax, price);
            }
        }
        return total;
    }

    /// <summary>The tax lines for a tariff price, in the tariff's order.</summary>
    public static IReadOnlyList<TaxAmount> TaxesOn(IReadOnlyList<TaxRule> taxes, Money price)
    {
        var inclusiveRate = taxes.Where(t => t.Inclusive).Sum(t => t.Rate.PartsPerMillion);
        var net = IntegerRounding.ToLong(IntegerRounding.HalfEven(
            (Int128)price.Minor * Percentage.PartsPerWhole, Percentage.PartsPerWhole + inclusiveRate));
        var inclusiveLeft = price.Minor - net;
        var lastInclusive = taxes.Select((t, i) => (t, i)).LastOrDefault(x => x.t.Inclusive).i;
        var lines = new List<TaxAmount>(taxes.Count);
        for (var i = 0; i < taxes.Count; i++)
        {
            var tax = taxes[i];
            Money amount;
            if (!tax.Inclusive)
            {
                amount = Exclusive(tax, price);
            }
            else
            {
                var share = i == lastInclusive
                    ? inclusiveLeft
                    : Math.Min(inclusiveLeft, IntegerRounding.ToLong(IntegerRounding.HalfEven((Int128)net * tax.Rate.PartsPerMillion, Percentage.PartsPerWhole)));
                inclusiveLeft -= share;
                amount = new Money(share, price.Currency);
            }
            lines.Add(new TaxAmount(tax.Name, tax.Rate, tax.Inclusive, amount));
        }
        return lines;
    }

    /// <summary>The largest tariff price P with P + Σ exclusive taxes(P) ≤ <paramref name="budget"/>.</summary>
    public static Money LargestPriceWithin(IReadOnlyList<TaxRule> taxes, Money budget)
    {
        if (budget.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), "A budget cannot be negative.");
        }
        var exclusiveRate = taxes.Where(t => !t.Inclusive).Sum(t => t.Rate.PartsPerMillion);
        var price = IntegerRounding.ToLong(IntegerRounding.Floor(
            (Int128)budget.Minor * Percentage.PartsPerWhole, Percentage.PartsPerWhole + exclusiveRate));
        // P(1+r) ≤ budget exactly; each ceiling adds less than one minor unit, so this loop runs at most once per tax.
        while (price > 0 && WithExclusiveTaxes(taxes, new Money(price, budget.Currency)) > budget)
        {
            price--;
        }
        return new Money(price, budget.Currency);
    }

    private static Money Exclusive(TaxRule tax, Money price) =>
        new(IntegerRounding.ToLong(IntegerRounding.Ceiling((Int128)price.Minor * tax.Rate.PartsPerMillion, Percentage.PartsPerWhole)), price.Currency);
}
