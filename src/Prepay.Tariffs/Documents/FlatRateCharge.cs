using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Documents;

/// <summary>Every kWh at the same price.</summary>
public sealed record FlatRateCharge(EnergyRate Rate) : EnergyCharge;
