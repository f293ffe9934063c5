using NodaTime;
using Prepay.Domain.Money;

namespace Prepay.Tariffs.FixedCharges;

/// <summary>
/// Prepaid customers get no bill, so fixed charges are recovered from purchases. Each purchase accrues every
/// charge from the day (or month) after <c>paidThrough</c> up to and including today, adds the arrears, and takes
/// as much of that as the purchase can afford. Whatever is not taken becomes the new arrears, and the account is
/// then accounted through today: charges are never accrued twice, and never forgotten.
/// </summary>
public static class FixedChargeRecovery
{
    /// <summary>
    /// Charges accrued after <paramref name="paidThrough"/> up to <paramref name="today"/>. A daily charge counts the
    /// days after paidThrough; a monthly charge counts the months after paidThrough's month (the month of paidThrough
    /// is paid). An account never charged (null) owes today's day and today's month.
    /// </summary>
    public static Money Accrued(IReadOnlyList<FixedCharge> charges, LocalDate? paidThrough, LocalDate today, Currency currency)
    {
        var total = Money.Zero(currency);
        foreach (var charge in charges)
        {
            var units = charge.Per switch
            {
                FixedChargePeriod.Day => paidThrough is { } p ? Period.DaysBetween(p, today) : 1,
                FixedChargePeriod.Month => paidThrough is { } p ? MonthIndex(today) - MonthIndex(p) : 1,
                _ => throw new ArgumentOutOfRangeException(nameof(charges), charge.Per, "Unknown fixed charge period."),
            };
            total += new Money(checked(charge.Amount.Minor * Math.Max(0, units)), currency);
        }
        return total;
    }

    /// <summary>Recovers up to <paramref name="affordable"/> (a tariff price, before exclusive taxes) of what is due.</summary>
    public static FixedChargeRecovered Recover(
        IReadOnlyList<FixedCharge> charges, LocalDate today, LocalDate? paidThrough, Money arrears, Money affordable)
    {
        if (arrears.IsNegative || affordable.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(arrears), "Arrears and the affordable amount cannot be negative.");
        }
        var due = arrears + Accrued(charges, paidThrough, today, arrears.Currency);
        var recovered = Money.Min(due, affordable);
        var newPaidThrough = charges.Count == 0 ? paidThrough
            : paidThrough is { } p && p > today ? p
            : today;
        return new FixedChargeRecovered(due, recovered, due - recovered, newPaidThrough);
    }

    private static int MonthIndex(LocalDate date) => checked(date.Year * 12 + date.Month);
}

/// <summary>What a purchase owed in fixed charges (arrears included), what it paid, and the account afterwards.</summary>
public sealed record FixedChargeRecovered(Money Due, Money Recovered, Money ArrearsAfter, LocalDate? PaidThrough);
