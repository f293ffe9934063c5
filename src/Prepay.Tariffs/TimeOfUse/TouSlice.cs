using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.TimeOfUse;

/// <summary>A stretch of time [<see cref="Start"/>, <see cref="End"/>) inside one season and period, and its energy share.</summary>
public sealed record TouSlice(Instant Start, Instant End, string Season, string Period, EnergyRate Rate, Energy Energy)
{
    public Duration Duration => End - Start;
}
