using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;
using Prepay.Tariffs.Taxes;

namespace Prepay.Tariffs.Quotes;

/// <summary>
/// Where every minor unit of a purchase went. Always
/// <c>Gross + CarriedIn == Σ Tax + FixedCharges + DebtRecovered + EnergyCost + CarriedOut</c>
/// (see <see cref="IsBalanced"/>); FixedCharges and EnergyCost are net of all taxes there.
/// </summary>
/// <param name="Gross">The amount paid.</param>
/// <param name="CarriedIn">Remainder from earlier purchases spent with this one.</param>
/// <param name="Tax">One line per tax of the tariff, on fixed charges and energy together.</param>
/// <param name="FixedCharges">Fixed charges recovered, net of tax.</param>
/// <param name="DebtRecovered">Taken towards old debt (not taxed: the debt was taxed when incurred).</param>
/// <param name="NetForEnergy">Money left for energy after debt, fixed charges and their taxes: energy, its taxes and CarriedOut.</param>
/// <param name="EnergyCost">What the energy cost, net of tax.</param>
/// <param name="Energy">Energy sold, a whole number of meter resolution units. For time of use, an estimate.</param>
/// <param name="Lines">Energy per block or rate, each costed at the tariff price (inclusive taxes in, exclusive out).</param>
/// <param name="CarriedOut">Money too small to buy one more resolution unit; stays on the account for next time.</param>
/// <param name="IsEstimate">True for time of use: the credit is money, the energy shown is at the rate in force now.</param>
public sealed record PurchaseQuote(
    string TariffCode,
    int TariffVersion,
    Instant At,
    Money Gross,
    Money CarriedIn,
    IReadOnlyList<TaxAmount> Tax,
    Money FixedCharges,
    Money DebtRecovered,
    Money DebtOutstandingAfter,
    Money NetForEnergy,
    Money EnergyCost,
    Energy Energy,
    IReadOnlyList<EnergyLine> Lines,
    Money CarriedOut,
    LocalDate? FixedChargesPaidThrough,
    Money FixedChargeArrearsAfter,
    bool IsEstimate)
{
    public Money TaxTotal => Tax.Aggregate(Money.Zero(Gross.Currency), (sum, t) => sum + t.Amount);

    public bool IsBalanced => Gross + CarriedIn == TaxTotal + FixedCharges + DebtRecovered + EnergyCost + CarriedOut;
}

/// <summary>Energy sold at one rate: a block, the flat rate, or the time-of-use period in force.</summary>
public sealed record EnergyLine(string Label, Energy Energy, EnergyRate Rate, Money Cost);
