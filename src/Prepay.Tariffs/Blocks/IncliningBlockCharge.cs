using Prepay.Domain.Energy;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Blocks;

/// <summary>
/// Monthly blocks: the first <c>UpTo</c> kWh of the calendar month (in the tariff's zone) at one rate, the
/// next at another. The last block has no upper bound. Blocks are strictly increasing (checked by the parser).
/// </summary>
public sealed record IncliningBlockCharge(IReadOnlyList<EnergyBlock> Blocks) : EnergyCharge
{
    /// <summary>
    /// Splits <paramref name="amount"/> bought on top of <paramref name="alreadyThisMonth"/> at the exact block
    /// boundaries. Segments are in block order; empty ones are left out.
    /// </summary>
    public IReadOnlyList<EnergySegment> Split(Energy alreadyThisMonth, Energy amount)
    {
        var segments = new List<EnergySegment>();
        var position = alreadyThisMonth;
        var left = amount;
        var lower = Energy.Zero;
        for (var i = 0; i < Blocks.Count && left > Energy.Zero; i++)
        {
            var block = Blocks[i];
            var upper = block.UpTo;
            if (upper is { } u && position >= u)
            {
                lower = u;
                continue;
            }
            var room = upper is { } top ? top - position : left;
            var take = Energy.Min(room, left);
            segments.Add(new EnergySegment(block.Label(lower), take, block.Rate));
            position += take;
            left -= take;
            lower = upper ?? lower;
        }
        return segments;
    }
}

/// <summary>A block: energy up to <see cref="UpTo"/> (cumulative in the month; null = no limit) at <see cref="Rate"/>.</summary>
public sealed record EnergyBlock(Energy? UpTo, EnergyRate Rate)
{
    internal string Label(Energy lower) =>
        UpTo is { } u
            ? $"Block {Kwh(lower)}-{Kwh(u)} kWh"
            : $"Block above {Kwh(lower)} kWh";

    private static string Kwh(Energy e) =>
        e.WattHours % 1000 == 0 ? (e.WattHours / 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : e.ToKilowattHoursString();
}
