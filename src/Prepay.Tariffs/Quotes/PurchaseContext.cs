using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Quotes;

/// <summary>
/// What the account already has, supplied by the caller. "This month" means the calendar month of the purchase
/// in the tariff's zone (<see cref="Documents.TariffDocument.MonthOf"/>): the caller resets these counters on it.
/// </summary>
/// <param name="EnergyBoughtThisMonth">Energy already sold this month; places the purchase in the blocks.</param>
/// <param name="FixedChargesPaidThrough">Last local date fixed charges were accounted for; null for a new account.</param>
/// <param name="FixedChargeArrears">Fixed charges accrued but not yet recovered, at the tariff price.</param>
/// <param name="CarriedRemainder">Money left over from earlier purchases (below one resolution unit), spent first.</param>
/// <param name="MeterResolutionWh">Smallest energy the meter can be credited with: 100 for STS tokens, 1 for smart meters.</param>
public sealed record PurchaseContext(
    Energy EnergyBoughtThisMonth,
    Money DebtOutstanding,
    Money DebtRecoveredThisMonth,
    LocalDate? FixedChargesPaidThrough,
    Money FixedChargeArrears,
    Money CarriedRemainder,
    long MeterResolutionWh)
{
    /// <summary>
    /// The most of the amount paid that may go to debt, whatever the tariff's share (the customer's disconnection
    /// policy, "the most a top-up may take for debt"); none: the tariff's share alone.
    /// </summary>
    public Percentage? DebtCap { get; init; }

    /// <summary>STS token meters are credited in tenths of a kWh.</summary>
    public const long StsResolutionWh = 100;

    /// <summary>The account after <paramref name="quote"/>, for the next purchase in the same month.</summary>
    public PurchaseContext After(PurchaseQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return this with
        {
            EnergyBoughtThisMonth = EnergyBoughtThisMonth + quote.Energy,
            DebtOutstanding = quote.DebtOutstandingAfter,
            DebtRecoveredThisMonth = DebtRecoveredThisMonth + quote.DebtRecovered,
            FixedChargesPaidThrough = quote.FixedChargesPaidThrough,
            FixedChargeArrears = quote.FixedChargeArrearsAfter,
            CarriedRemainder = quote.CarriedOut,
        };
    }

    /// <summary>The same account at the start of a new calendar month: the monthly counters start again.</summary>
    public PurchaseContext ForNewMonth() =>
        this with { EnergyBoughtThisMonth = Energy.Zero, DebtRecoveredThisMonth = Money.Zero(DebtRecoveredThisMonth.Currency) };

    /// <summary>A new account: nothing bought, no debt, no arrears, no remainder.</summary>
    public static PurchaseContext Fresh(Currency currency, long meterResolutionWh = StsResolutionWh) =>
        new(Energy.Zero, Money.Zero(currency), Money.Zero(currency), null, Money.Zero(currency), Money.Zero(currency), meterResolutionWh);
}
