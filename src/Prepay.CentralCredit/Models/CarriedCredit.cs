using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Blocks;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Taxes;
using Prepay.Tariffs.TimeOfUse;

namespace Prepay.CentralCredit.Models;

/// <summary>
/// The money value of the energy credit a meter last reported, carried into its central balance when it switches to
/// central credit: the energy at the tariff's rate at the switch (time of use: the period in force at that instant;
/// monthly blocks: from the month's first block, the cheapest the customer can have paid; flat: the rate), each line
/// rounded UP, plus exclusive taxes rounded up (<see cref="TaxCalculator"/>): the customer never loses a minor unit of
/// what the credit cost at the switch's prices. <see cref="Revenue"/> and <see cref="Taxes"/> say where it comes back
/// from: the sale recognised that energy as revenue and tax, and it is now unsold.
/// </summary>
public sealed record CarriedCredit(Energy Energy, Money Total, Money Revenue, IReadOnlyList<TaxAmount> Taxes)
{
    public static CarriedCredit Value(TariffDocument tariff, Energy credit, Instant at)
    {
        var currency = tariff.Currency;
        var zero = Money.Zero(currency);
        if (credit.WattHours <= 0)
        {
            return new CarriedCredit(Energy.Zero, zero, zero, []);
        }
        var price = tariff.Energy switch
        {
            FlatRateCharge flat => flat.Rate.CostRoundedUp(credit, currency),
            TimeOfUseCharge => TouPricing.RateAt(tariff, at).Rate.CostRoundedUp(credit, currency),
            IncliningBlockCharge blocks => blocks.Split(Energy.Zero, credit).Aggregate(zero, (sum, s) => sum + s.Rate.CostRoundedUp(s.Energy, currency)),
            _ => throw new NotSupportedException($"Unknown energy charge {tariff.Energy.GetType().Name}."),
        };
        var taxes = TaxCalculator.TaxesOn(tariff.Taxes, price);
        var inclusive = taxes.Where(t => t.Inclusive).Aggregate(zero, (sum, t) => sum + t.Amount);
        return new CarriedCredit(credit, TaxCalculator.WithExclusiveTaxes(tariff.Taxes, price), price - inclusive, taxes);
    }

    /// <summary>
    /// The most energy <paramref name="balance"/> buys at the switch's prices, valued as <see cref="Value"/> values it,
    /// so that carrying it back in would cost no more than the balance: what a meter going back to its own credit
    /// starts from. What the energy does not use up (less than a watt-hour's worth) stays on the central balance.
    /// </summary>
    private const long MaxSoldWh = 1_000_000_000_000;

    public static CarriedCredit Sold(TariffDocument tariff, Money balance, Instant at)
    {
        ArgumentNullException.ThrowIfNull(tariff);
        if (balance.Minor <= 0)
        {
            return Value(tariff, Energy.Zero, at);
        }
        // Value's total rises with the energy: grow a bound past the balance, then halve the gap to the last that fits.
        long fits = 0, over = 1;
        // A free tariff (every rate zero) would grow it for ever: a terawatt-hour is past any meter.
        while (over < MaxSoldWh && Value(tariff, new Energy(over), at).Total.Minor <= balance.Minor)
        {
            fits = over;
            over = checked(over * 2);
        }
        while (over - fits > 1)
        {
            var mid = fits + ((over - fits) / 2);
            if (Value(tariff, new Energy(mid), at).Total.Minor <= balance.Minor)
            {
                fits = mid;
            }
            else
            {
                over = mid;
            }
        }
        return Value(tariff, new Energy(fits), at);
    }

    /// <summary>This value moved from revenue and taxes into the meter's central balance (a handover's <c>CreditCarriedIn</c>).</summary>
    public LedgerTransaction CarriedIn(Guid transactionId, Guid meterId, string meterNumber) =>
        Moved(transactionId, TransactionKind.CreditCarriedIn, $"credit of meter {meterNumber} carried in", meterId, intoBalance: true);

    /// <summary>This value moved out of the meter's central balance to revenue and taxes (a switch back's <c>CreditCarriedOut</c>).</summary>
    public LedgerTransaction SoldToMeter(Guid transactionId, Guid meterId, string meterNumber) =>
        Moved(transactionId, TransactionKind.CreditCarriedOut, $"central balance of meter {meterNumber} sold to it as credit", meterId, intoBalance: false);

    // The two are mirror images: the same lines, each moved the other way.
    private LedgerTransaction Moved(Guid transactionId, TransactionKind kind, string description, Guid meterId, bool intoBalance)
    {
        var currency = Total.Currency.Code;
        var central = AccountCode.MeterCentralCredit(meterId, currency);
        var builder = new LedgerTransaction.Builder(transactionId, kind, description);
        void Move(AccountCode other, Money amount)
        {
            if (intoBalance)
            {
                builder.Move(other, central, amount);
            }
            else
            {
                builder.Move(central, other, amount);
            }
        }
        Move(AccountCode.EnergyRevenue(currency), Revenue);
        foreach (var tax in Taxes)
        {
            Move(AccountCode.Tax(tax.Name, currency), tax.Amount);
        }
        return builder.Build();
    }
}
