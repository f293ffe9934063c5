using Prepay.Dlms.Axdr;
using Prepay.Dlms.Cosem.Classes;
using Prepay.Domain.Energy;

namespace Prepay.HeadEnd.Dlms;

/// <summary>
/// A register value with its scaler_unit as whole watt-hours (Blue Book §4.3.2: value × 10^scaler in the unit).
/// Exact or refused: a negative scaler that would drop digits, a product beyond 64 bits, a unit other than Wh
/// (30) or a value that is not an integer type gives <see cref="DlmsProblem.UnusableValue"/>, never a rounded number.
/// </summary>
public static class EnergyScaling
{
    public static DlmsOutcome<Energy> ToEnergy(DlmsValue value, ScalerUnit scalerUnit)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (scalerUnit.Unit != ScalerUnit.WattHour)
        {
            return Refuse($"unit {scalerUnit.Unit} is not Wh ({ScalerUnit.WattHour})");
        }
        if (value is DlmsEnum || CosemValues.AsInteger(value) is not { } raw)
        {
            return Refuse($"a {value.GetType().Name} is not an integer register value");
        }
        return Scaled(raw, scalerUnit.Scaler);
    }

    /// <summary>An integer register value read in place (<see cref="ProfileRowReader"/>): the same checks, in the same order.</summary>
    public static DlmsOutcome<Energy> ToEnergy(long raw, ScalerUnit scalerUnit) =>
        scalerUnit.Unit != ScalerUnit.WattHour
            ? Refuse($"unit {scalerUnit.Unit} is not Wh ({ScalerUnit.WattHour})")
            : Scaled(raw, scalerUnit.Scaler);

    private static DlmsOutcome<Energy> Scaled(long raw, sbyte scaler) =>
        Scale(raw, scaler) is { } wattHours
            ? DlmsOutcome.Success(new Energy(wattHours))
            : Refuse($"{raw} × 10^{scaler} is not a whole number of Wh within 64 bits");

    /// <summary><paramref name="raw"/> × 10^<paramref name="scaler"/> when exact and within a long; else null.</summary>
    public static long? Scale(long raw, sbyte scaler)
    {
        long factor = 1;
        for (int i = 0; i < Math.Abs((int)scaler); i++)
        {
            if (factor > long.MaxValue / 10)
            {
                // 10^19 and beyond: only zero scales exactly.
                return raw == 0 ? 0 : null;
            }
            factor *= 10;
        }
        if (scaler >= 0)
        {
            return raw > long.MaxValue / factor || raw < long.MinValue / factor ? null : raw * factor;
        }
        return raw % factor == 0 ? raw / factor : null;
    }

    private static DlmsOutcome<Energy> Refuse(string why) => DlmsOutcome.Reject<Energy>(DlmsProblem.UnusableValue, $"Energy refused: {why}.");
}
