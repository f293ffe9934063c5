using Prepay.Domain.Energy;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Documents;

/// <summary>How energy is priced. A closed set: flat, inclining block, time of use.</summary>
public abstract record EnergyCharge
{
    private protected EnergyCharge()
    {
    }
}

/// <summary>One label and rate for a share of a purchase (a block, the flat rate, a time-of-use period).</summary>
public readonly record struct EnergySegment(string Label, Energy Energy, EnergyRate Rate);
