using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Tariffs.Quotes;
using Prepay.Tariffs.Taxes;

namespace Prepay.CentralCredit.Pricing;

/// <summary>
/// What one interval costs, in minor units. <see cref="Total"/> is what leaves the meter's central balance:
/// <c>Energy + FixedCharges + exclusive taxes + DebtRecovered</c>. <see cref="Taxes"/> holds every tax line (inclusive
/// ones are inside <see cref="Energy"/> and <see cref="FixedCharges"/>, as in a vend's quote).
/// <see cref="EnergyRevenue"/> and <see cref="FixedChargeRevenue"/> are those amounts less their inclusive taxes, so
/// revenue + every tax line + debt recovered = <see cref="Total"/> exactly: the postings balance.
/// </summary>
public sealed record IntervalCharges(
    string TariffCode,
    int TariffVersion,
    Energy EnergyPriced,
    IReadOnlyList<EnergyLine> EnergyLines,
    Money Energy,
    IReadOnlyList<LocalDate> DaysCharged,
    Money FixedCharges,
    IReadOnlyList<TaxAmount> Taxes,
    Money DebtRecovered,
    Money EnergyRevenue,
    Money FixedChargeRevenue)
{
    public Money ExclusiveTaxes => Sum(Taxes.Where(t => !t.Inclusive).Select(t => t.Amount));

    /// <summary>What the consumption costs before debt recovery.</summary>
    public Money Consumption => Energy + FixedCharges + ExclusiveTaxes;

    /// <summary>What leaves the central balance.</summary>
    public Money Total => Consumption + DebtRecovered;

    private Money Sum(IEnumerable<Money> amounts) => amounts.Aggregate(Money.Zero(Energy.Currency), (a, b) => a + b);
}
