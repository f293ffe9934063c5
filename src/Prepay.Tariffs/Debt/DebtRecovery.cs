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
    public static Money Recover(DebtRecoveryRule? rule, Money amountPaid, Money debtOutstanding, Money recoveredThisMonth)
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
        return Money.Min(Money.Min(share, capLeft), Money.Min(debtOutstanding, amountPaid));
    }
}
