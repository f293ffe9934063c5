using Prepay.Domain.Energy;
using Prepay.Domain.Money;

namespace Prepay.Tariffs.Rates;

/// <summary>
/// A price per kWh as an integer: minor units per kWh scaled by 10^4 (<see cref="Scale"/>).
/// ZAR 2.5123/kWh is 251.23 cents/kWh, stored as 2 512 300. Four extra digits cover every published
/// tariff we know of (NERSA schedules quote c/kWh to two decimals) with room to spare.
/// </summary>
public readonly record struct EnergyRate : IComparable<EnergyRate>
{
    /// <summary>The factor between <see cref="ScaledMinorPerKwh"/> and minor units per kWh.</summary>
    public const long Scale = 10_000;

    /// <summary>Decimal places of a rate written in major units per kWh: the currency's digits plus four.</summary>
    public static int MajorDecimals(Currency currency) => currency.MinorDigits + 4;

    public EnergyRate(long scaledMinorPerKwh)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(scaledMinorPerKwh);
        ScaledMinorPerKwh = scaledMinorPerKwh;
    }

    public long ScaledMinorPerKwh { get; }

    /// <summary>Parses a rate written in major units per kWh, e.g. <c>"2.5123"</c> for ZAR.</summary>
    public static bool TryParseMajor(string? text, Currency currency, out EnergyRate rate, out string error)
    {
        var ok = FixedPoint.TryParse(text, MajorDecimals(currency), out var scaled, out error);
        rate = ok ? new EnergyRate(scaled) : default;
        return ok;
    }

    public static EnergyRate ParseMajor(string text, Currency currency) =>
        TryParseMajor(text, currency, out var rate, out var error) ? rate : throw new FormatException($"Rate '{text}' {error}.");

    /// <summary>The rate in major units per kWh, exact, e.g. <c>2.5123</c>.</summary>
    public string ToMajorString(Currency currency) =>
        FixedPoint.Format(ScaledMinorPerKwh, MajorDecimals(currency), currency.MinorDigits);

    /// <summary>Exact cost of <paramref name="energy"/> in minor units × 10^7 (Wh → kWh is 10^3, the rate scale 10^4).</summary>
    internal Int128 ExactCostNumerator(Energy energy) => (Int128)energy.WattHours * ScaledMinorPerKwh;

    internal const long CostDenominator = 1000 * Scale;

    /// <summary>Cost of the energy, rounded UP to a whole minor unit: energy is never sold below its price.</summary>
    public Money CostRoundedUp(Energy energy, Currency currency) =>
        new(IntegerRounding.ToLong(IntegerRounding.Ceiling(ExactCostNumerator(energy), CostDenominator)), currency);

    public int CompareTo(EnergyRate other) => ScaledMinorPerKwh.CompareTo(other.ScaledMinorPerKwh);

    public static bool operator <(EnergyRate a, EnergyRate b) => a.CompareTo(b) < 0;
    public static bool operator >(EnergyRate a, EnergyRate b) => a.CompareTo(b) > 0;
    public static bool operator <=(EnergyRate a, EnergyRate b) => a.CompareTo(b) <= 0;
    public static bool operator >=(EnergyRate a, EnergyRate b) => a.CompareTo(b) >= 0;
}
