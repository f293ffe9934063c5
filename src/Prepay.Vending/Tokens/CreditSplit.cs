using Prepay.Domain.Energy;
using Prepay.Sts.Tokens;

namespace Prepay.Vending.Tokens;

/// <summary>
/// How a sale's energy is carried by STS credit tokens, each amount exactly representable, together exactly the
/// energy bought: never more (a token rounded up would give energy nobody paid for), never less (the customer paid
/// for all of it).
/// </summary>
/// <remarks>
/// IEC 62055-41 §6.3.5 (TransferAmount): up to 1 638.3 kWh every 0.1 kWh has an exact amount; above it the steps
/// are 1, 10 and 100 kWh. So a larger sale takes the largest representable amount not above it on one token and the
/// rest, always below 1 638.4 kWh and so exact, on a second. Only a sale above the largest amount one token carries
/// (1 820 162.4 kWh) needs more than two: full tokens first, then the same pair for what is left.
/// </remarks>
public static class CreditSplit
{
    /// <summary>Wh per STS electricity unit (0.1 kWh). IEC 62055-41 §6.3.2.</summary>
    public const long WhPerUnit = 100;

    /// <summary>The token amounts, largest first; one amount (possibly zero) when a single token carries it.</summary>
    /// <exception cref="UnrepresentableCreditException">The energy is not a whole number of 0.1 kWh.</exception>
    public static IReadOnlyList<Energy> Of(Energy energy)
    {
        if (energy.WattHours < 0 || energy.WattHours % WhPerUnit != 0)
        {
            throw new UnrepresentableCreditException($"STS electricity credit is in 0.1 kWh; {energy.WattHours} Wh is not a whole number of 100 Wh.");
        }

        long units = energy.WattHours / WhPerUnit;
        var parts = new List<Energy>(2);
        while (units > TransferAmount.MaxUnits)
        {
            parts.Add(Units(TransferAmount.MaxUnits));
            units -= TransferAmount.MaxUnits;
        }

        var first = TransferAmount.FromUnitsRoundingDown(units).Units;
        parts.Add(Units(first));
        long rest = units - first;
        if (rest > 0)
        {
            System.Diagnostics.Debug.Assert(TransferAmount.TryFromUnitsExact(rest, out _), "below 16 384 units every amount is exact");
            parts.Add(Units(rest));
        }

        return parts;
    }

    private static Energy Units(long units) => new(units * WhPerUnit);
}
