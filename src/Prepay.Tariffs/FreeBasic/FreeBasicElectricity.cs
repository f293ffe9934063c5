using Prepay.Domain.Energy;
using Prepay.Tariffs.Documents;

namespace Prepay.Tariffs.FreeBasic;

/// <summary>
/// Decides the month's zero-value FBE vend. The allowance is issued once per calendar month (in the tariff's zone);
/// if part of it was already issued (e.g. the allowance rose with a new tariff version mid-month) only the rest is
/// due. The amount is rounded down to the meter's resolution, like any energy sold.
/// </summary>
public static class FreeBasicElectricity
{
    public static FreeBasicDue Due(TariffDocument tariff, bool registeredIndigent, Energy issuedThisMonth, long meterResolutionWh)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(meterResolutionWh, 1);
        if (!registeredIndigent || tariff.FreeBasic is null)
        {
            return FreeBasicDue.None;
        }
        var left = tariff.FreeBasic.MonthlyAllowance - issuedThisMonth;
        var wh = left.WattHours <= 0 ? 0 : left.WattHours / meterResolutionWh * meterResolutionWh;
        return wh == 0 ? FreeBasicDue.None : new FreeBasicDue(true, new Energy(wh));
    }
}

/// <summary>Whether a free vend is due this month and how much energy it carries.</summary>
public readonly record struct FreeBasicDue(bool IsDue, Energy Amount)
{
    public static FreeBasicDue None => new(false, Energy.Zero);
}
