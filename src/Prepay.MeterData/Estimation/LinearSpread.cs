using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterData.Estimation;

/// <summary>
/// Spreads a whole number of Wh over consecutive intervals in proportion to their lengths, in whole Wh that sum
/// exactly to the total. Rounding is explicit: interval i gets ⌊T·tᵢ₊₁/t⌋ − ⌊T·tᵢ/t⌋, where tᵢ is the time from the
/// gap's start to interval i's start and t the gap's length. Each share is the floor or the ceiling of its exact
/// part; the extra Wh of the remainder fall where the running total crosses a whole Wh, so they are spread evenly
/// over the gap, the same way every time, and the shares telescope to exactly T.
/// </summary>
public static class LinearSpread
{
    public static IReadOnlyList<Energy> Split(Energy total, IReadOnlyList<Interval> intervals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total.WattHours);
        if (intervals.Count == 0)
        {
            throw new ArgumentException("Nothing to spread over.", nameof(intervals));
        }
        var start = intervals[0].Start;
        var length = (Int128)(intervals[^1].End - start).BclCompatibleTicks;
        var shares = new Energy[intervals.Count];
        long given = 0;
        for (var i = 0; i < intervals.Count; i++)
        {
            var elapsed = (Int128)(intervals[i].End - start).BclCompatibleTicks;
            var upTo = (long)(total.WattHours * elapsed / length);
            shares[i] = new Energy(upTo - given);
            given = upTo;
        }
        return shares;
    }
}
