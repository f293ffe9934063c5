using NodaTime;

namespace Prepay.Meter.Registers;

/// <summary>
/// The monotonic import register in whole Wh, with the sub-Wh remainder carried in watt-nanoseconds so that no
/// energy is lost however time is sliced: integrating P over [a, c] equals integrating over [a, b] then [b, c].
/// </summary>
internal sealed class EnergyRegister(long wh, long remainderWattNanoseconds)
{
    /// <summary>One Wh in W·ns.</summary>
    public const long WattNanosecondsPerWh = 3_600_000_000_000;

    /// <summary>Integration slices are at most this long so that W·ns never overflows (10 MW × 1 min ≪ 2^63).</summary>
    public static readonly Duration MaxSlice = Duration.FromMinutes(1);

    public long Wh { get; private set; } = wh;

    public long RemainderWattNanoseconds { get; private set; } = remainderWattNanoseconds;

    /// <summary>Adds <paramref name="watts"/> over <paramref name="span"/> (≤ <see cref="MaxSlice"/>); returns the whole Wh added.</summary>
    public long Integrate(int watts, Duration span)
    {
        if (watts < 0 || span < Duration.Zero || span > MaxSlice)
        {
            throw new ArgumentOutOfRangeException(nameof(span), "Power is imported (≥ 0 W) over at most a minute.");
        }

        long total = RemainderWattNanoseconds + (watts * span.ToInt64Nanoseconds());
        long whole = total / WattNanosecondsPerWh;
        RemainderWattNanoseconds = total % WattNanosecondsPerWh;
        Wh += whole;
        return whole;
    }

    /// <summary>How long at <paramref name="watts"/> (&gt; 0) until <paramref name="wh"/> (≥ 1) more whole Wh are registered.</summary>
    public Duration TimeToAdd(long wh, int watts)
    {
        if (wh < 1 || watts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(wh), "Needs at least 1 Wh and 1 W.");
        }

        // Beyond a minute the answer only matters as "later than this slice".
        long limit = (MaxSlice.ToInt64Nanoseconds() * watts / WattNanosecondsPerWh) + 2;
        long needed = (Math.Min(wh, limit) * WattNanosecondsPerWh) - RemainderWattNanoseconds;
        long nanoseconds = (needed + watts - 1) / watts;
        return Duration.FromNanoseconds(nanoseconds);
    }
}
