using NodaTime;
using Prepay.Domain.Money;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.Taxes;

namespace Prepay.Tariffs.Quotes;

/// <summary>
/// Quotes a purchase. The order is fixed and stated here because every step takes from what is left:
/// <list type="number">
/// <item>Debt recovery takes its share of the amount paid (<see cref="DebtRecovery.Recover"/>).</item>
/// <item>The amount paid, less debt, plus the carried remainder is the budget.</item>
/// <item>Fixed charges due (arrears plus accrued through today) are recovered as far as the budget allows, with their
/// exclusive taxes (<see cref="FixedChargeRecovery"/>).</item>
/// <item>What is left buys energy (<see cref="EnergyAllocation"/>); what cannot buy one more resolution unit is carried out.</item>
/// <item>Tax lines are worked out on the fixed charges and on the energy separately and added (<see cref="TaxCalculator"/>).</item>
/// </list>
/// </summary>
public static class TariffEngine
{
    public static PurchaseQuote Quote(TariffDocument tariff, Money amountPaid, Instant at, PurchaseContext context)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        ArgumentNullException.ThrowIfNull(context);
        Check(tariff, amountPaid, at, context);
        var currency = tariff.Currency;

        var debt = DebtRecovery.Recover(tariff.DebtRecovery, amountPaid, context.DebtOutstanding, context.DebtRecoveredThisMonth, context.DebtCap);
        var budget = amountPaid - debt + context.CarriedRemainder;

        var fixedCharges = FixedChargeRecovery.Recover(
            tariff.FixedCharges, tariff.LocalDateOf(at), context.FixedChargesPaidThrough, context.FixedChargeArrears,
            TaxCalculator.LargestPriceWithin(tariff.Taxes, budget));
        var forEnergy = budget - TaxCalculator.WithExclusiveTaxes(tariff.Taxes, fixedCharges.Recovered);

        var energy = EnergyAllocation.Buy(tariff, at, context.EnergyBoughtThisMonth, forEnergy, context.MeterResolutionWh);
        var carriedOut = forEnergy - TaxCalculator.WithExclusiveTaxes(tariff.Taxes, energy.Price);

        var fixedTaxes = TaxCalculator.TaxesOn(tariff.Taxes, fixedCharges.Recovered);
        var energyTaxes = TaxCalculator.TaxesOn(tariff.Taxes, energy.Price);
        var taxes = fixedTaxes.Zip(energyTaxes, (f, e) => f with { Amount = f.Amount + e.Amount }).ToList();

        return new PurchaseQuote(
            tariff.Code,
            tariff.Version,
            at,
            Gross: amountPaid,
            CarriedIn: context.CarriedRemainder,
            Tax: taxes,
            FixedCharges: fixedCharges.Recovered - Inclusive(fixedTaxes, currency),
            DebtRecovered: debt,
            DebtOutstandingAfter: context.DebtOutstanding - debt,
            NetForEnergy: forEnergy,
            EnergyCost: energy.Price - Inclusive(energyTaxes, currency),
            Energy: energy.Energy,
            Lines: energy.Lines,
            CarriedOut: carriedOut,
            FixedChargesPaidThrough: fixedCharges.PaidThrough,
            FixedChargeArrearsAfter: fixedCharges.ArrearsAfter,
            IsEstimate: energy.IsEstimate);
    }

    private static Money Inclusive(IReadOnlyList<TaxAmount> taxes, Currency currency) =>
        taxes.Where(t => t.Inclusive).Aggregate(Money.Zero(currency), (sum, t) => sum + t.Amount);

    private static void Check(TariffDocument tariff, Money amountPaid, Instant at, PurchaseContext context)
    {
        var currency = tariff.Currency;
        Money[] amounts = [amountPaid, context.DebtOutstanding, context.DebtRecoveredThisMonth, context.FixedChargeArrears, context.CarriedRemainder];
        if (amounts.Any(m => m.Currency != currency))
        {
            throw new ArgumentException($"Tariff {tariff.Code} is priced in {currency}; every amount must be too.", nameof(amountPaid));
        }
        if (amounts.Any(m => m.IsNegative) || context.EnergyBoughtThisMonth.WattHours < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amountPaid), "Amounts and energy bought cannot be negative.");
        }
        if (context.MeterResolutionWh < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(context), "Meter resolution must be at least 1 Wh.");
        }
        if (!tariff.IsEffectiveAt(at))
        {
            throw new ArgumentOutOfRangeException(nameof(at), $"Tariff {tariff.Code} v{tariff.Version} applies from {tariff.EffectiveFrom:uuuu-MM-dd}, after {at}.");
        }
    }
}
