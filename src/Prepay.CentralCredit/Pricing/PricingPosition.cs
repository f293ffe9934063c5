using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;

namespace Prepay.CentralCredit.Pricing;

/// <summary>
/// What a meter has already been charged that an interval's price depends on, read by the caller (the pure core reads
/// nothing): the month's energy priced so far (the block position), the local days whose fixed charges are taken, and
/// the debt owed and recovered this month.
/// </summary>
/// <param name="EnergyPricedThisMonth">Energy of the interval's month (tariff's zone) already priced for this meter.</param>
/// <param name="DaysCharged">Local days (tariff's zone) whose daily fixed charges were already taken.</param>
/// <param name="DebtOutstanding">What the customer owes, as a positive amount (zero: no recovery).</param>
/// <param name="DebtRecoveredThisMonth">Debt recovered in the interval's month so far, for the tariff's monthly cap.</param>
public sealed record PricingPosition(
    Energy EnergyPricedThisMonth,
    IReadOnlySet<LocalDate> DaysCharged,
    Money DebtOutstanding,
    Money DebtRecoveredThisMonth)
{
    public static PricingPosition Fresh(Currency currency) =>
        new(Energy.Zero, new HashSet<LocalDate>(), Money.Zero(currency), Money.Zero(currency));
}
