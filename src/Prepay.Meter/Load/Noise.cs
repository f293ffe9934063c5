namespace Prepay.Meter.Load;

/// <summary>
/// Counter-based randomness (SplitMix64 finaliser): a pure function of seed, stream and index, so the load at a
/// minute does not depend on how time was advanced to reach it, and a snapshot needs no generator state.
/// </summary>
internal static class Noise
{
    /// <summary>A double in [0, 1).</summary>
    public static double Unit(long seed, int stream, long index)
    {
        unchecked
        {
            ulong x = Mix((ulong)seed ^ Mix(((ulong)index * 0x9E3779B97F4A7C15UL) + (ulong)stream));
            return (x >> 11) * (1.0 / (1UL << 53));
        }
    }

    private static ulong Mix(ulong x)
    {
        unchecked
        {
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }
    }
}
