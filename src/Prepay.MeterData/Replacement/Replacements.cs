using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Replacement;

/// <summary>Real values arriving for estimated intervals, turned into the adjustments central credit posts.</summary>
public static class Replacements
{
    /// <summary>The adjustment for one interval. Both readings must carry their interval's energy.</summary>
    public static Adjustment Replace(IntervalReading estimate, IntervalReading actual)
    {
        if (estimate.Source != ReadingSource.Estimated)
        {
            throw new ArgumentException("Only an estimate is replaced.", nameof(estimate));
        }
        if (actual.Source == ReadingSource.Estimated)
        {
            throw new ArgumentException("An estimate does not replace an estimate.", nameof(actual));
        }
        if (estimate.Meter != actual.Meter || estimate.Start != actual.Start || estimate.End != actual.End)
        {
            throw new ArgumentException("A replacement is for the same meter and interval.", nameof(actual));
        }
        if (estimate.Energy is not { } estimated || actual.Energy is not { } real)
        {
            throw new ArgumentException("Both readings must carry their interval's energy.", nameof(actual));
        }
        return new Adjustment(actual.Meter, new NodaTime.Interval(actual.Start, actual.End), estimated, real);
    }

    /// <summary>Adjustments for every estimate that has a real reading among <paramref name="actuals"/>, in interval order.</summary>
    public static IReadOnlyList<Adjustment> ReplaceAll(IEnumerable<IntervalReading> estimates, IEnumerable<IntervalReading> actuals)
    {
        var real = actuals.ToDictionary(r => (r.Meter, r.Start));
        return estimates
            .Where(e => real.ContainsKey((e.Meter, e.Start)))
            .OrderBy(e => e.Start)
            .Select(e => Replace(e, real[(e.Meter, e.Start)]))
            .ToArray();
    }
}
