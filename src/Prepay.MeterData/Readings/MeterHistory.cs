using NodaTime;

namespace Prepay.MeterData.Readings;

/// <summary>
/// A meter's recent validated readings (actual, estimated and edited), ordered by interval start, one per start.
/// A new reading is checked against its own neighbours here, whatever order readings arrive in.
/// </summary>
public sealed class MeterHistory
{
    private readonly IntervalReading[] _readings;

    public MeterHistory(IEnumerable<IntervalReading> readings)
    {
        _readings = readings.OrderBy(r => r.Start).ToArray();
        for (var i = 1; i < _readings.Length; i++)
        {
            if (_readings[i].Start == _readings[i - 1].Start)
            {
                throw new ArgumentException($"Two readings start at {_readings[i].Start}.", nameof(readings));
            }
        }
    }

    /// <summary>Already ordered by start, one per start (made by <see cref="With"/>).</summary>
    private MeterHistory(IntervalReading[] ordered, bool _) => _readings = ordered;

    public static MeterHistory Empty { get; } = new([]);

    public IReadOnlyList<IntervalReading> Readings => _readings;

    /// <summary>The reading stored for the interval starting at <paramref name="start"/>, if any.</summary>
    public IntervalReading? At(Instant start)
    {
        var i = Index(start);
        return i >= 0 ? _readings[i] : null;
    }

    /// <summary>The latest reading that ends no later than <paramref name="start"/>.</summary>
    public IntervalReading? Before(Instant start, Func<IntervalReading, bool>? where = null)
    {
        for (var i = Insertion(start) - 1; i >= 0; i--)
        {
            if (_readings[i].End <= start && (where is null || where(_readings[i])))
            {
                return _readings[i];
            }
        }
        return null;
    }

    /// <summary>The earliest reading that starts no earlier than <paramref name="end"/>.</summary>
    public IntervalReading? After(Instant end, Func<IntervalReading, bool>? where = null)
    {
        for (var i = Insertion(end); i < _readings.Length; i++)
        {
            if (where is null || where(_readings[i]))
            {
                return _readings[i];
            }
        }
        return null;
    }

    /// <summary>Readings whose register is a measurement (not an estimate, not suspect), the only ones register checks trust.</summary>
    public static bool MeasuredRegister(IntervalReading r) => r.Register is not null && r.Source != ReadingSource.Estimated && !r.Suspect;

    /// <summary>
    /// This history with <paramref name="reading"/> in its place (replacing one of the same start): one copy, no
    /// sort, since ingestion adds each reading of a batch this way.
    /// </summary>
    public MeterHistory With(IntervalReading reading)
    {
        var i = Insertion(reading.Start);
        var replaces = i < _readings.Length && _readings[i].Start == reading.Start;
        var rest = replaces ? i + 1 : i;
        var next = new IntervalReading[_readings.Length - rest + i + 1];
        Array.Copy(_readings, 0, next, 0, i);
        next[i] = reading;
        Array.Copy(_readings, rest, next, i + 1, _readings.Length - rest);
        return new MeterHistory(next, true);
    }

    private int Index(Instant start)
    {
        var i = Insertion(start);
        return i < _readings.Length && _readings[i].Start == start ? i : -1;
    }

    /// <summary>The index of the first reading starting at or after <paramref name="start"/>.</summary>
    private int Insertion(Instant start)
    {
        int lo = 0, hi = _readings.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_readings[mid].Start < start)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
