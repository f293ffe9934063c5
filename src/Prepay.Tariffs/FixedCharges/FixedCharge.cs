using Prepay.Domain.Money;

namespace Prepay.Tariffs.FixedCharges;

/// <summary>A charge that accrues with time, not energy (service, network capacity), at the tariff price.</summary>
public sealed record FixedCharge(string Name, Money Amount, FixedChargePeriod Per);

public enum FixedChargePeriod
{
    /// <summary>Accrues for every local day in the tariff's zone.</summary>
    Day,

    /// <summary>Accrues once for every calendar month in the tariff's zone.</summary>
    Month,
}
