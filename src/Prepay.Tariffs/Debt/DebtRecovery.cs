using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Debt;

public static class DebtRecovery
{
    /// <summary>
    /// The debt taken from a purchase of <paramref name="amountPaid"/>: ceil(amount × percent), limited by what the
    /// month's cap still allows and by the debt outstanding. Rounded UP so that two small purchases never recover
    /// less than one purchase of their sum (which would buy the customer extra energy by splitting).
    /// Only the amount paid counts, not the remainder carried in: that money already passed through recovery.
    /// </summary>
    /// <param name="topUpCap">The most of the amount paid that may be taken at all (a policy's limit): floor(amount × cap),
    /// rounded DOWN, as "at most" must be.</param>
    public static Money Recover(DebtRecoveryRule? rule, Money amountPaid, Money debtOutstanding, Money recoveredThisMonth, Percentage? topUpCap = null)
    {
        if (amountPaid.IsNegative || debtOutstanding.IsNegative || recoveredThisMonth.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(amountPaid), "Amounts for debt recovery cannot be negative.");
        }
        var zero = Money.Zero(amountPaid.Currency);
        if (rule is null || debtOutstanding.IsZero)
        {
            return zero;
        }
        var share = new Money(IntegerRounding.ToLong(IntegerRounding.Ceiling(
            (Int128)amountPaid.Minor * rule.Percent.PartsPerMillion, Percentage.PartsPerWhole)), amountPaid.Currency);
        var capLeft = rule.MonthlyCap is { } cap ? Money.Max(zero, cap - recoveredThisMonth) : share;
        var taken = Money.Min(Money.Min(share, capLeft), Money.Min(debtOutstanding, amountPaid));
        return topUpCap is { } most
            ? Money.Min(taken, new Money(IntegerRounding.ToLong(IntegerRounding.Floor((Int128)amountPaid.Minor * most.PartsPerMillion, Percentage.PartsPerWhole)), amountPaid.Currency))
            : taken;
    }
}
