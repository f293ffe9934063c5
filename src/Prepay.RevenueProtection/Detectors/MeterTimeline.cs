using NodaTime;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Detectors;

/// <summary>
/// A meter's states over the window, read off its events: when its relay was open (opened until closed; closed
/// before the first event) and when it had no supply (outage until restored), and each reading's own interval
/// (from the previous reading, or a quarter of an hour).
/// </summary>
internal sealed class MeterTimeline
{
    private static readonly Duration DefaultInterval = Duration.FromMinutes(15);

    private MeterTimeline(MeterObservations meter, Instant asOf)
    {
        Meter = meter;
        var events = meter.Events.OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
        RelayOpen = Spans(events, EventTypes.RelayOpened, EventTypes.RelayClosed, asOf);
        NoSupply = Spans(events, EventTypes.PowerOutage, EventTypes.PowerRestored, asOf);
        Readings = [.. meter.Readings.OrderBy(r => r.At)];
    }

    public MeterObservations Meter { get; }

    public IReadOnlyList<Interval> RelayOpen { get; }

    public IReadOnlyList<Interval> NoSupply { get; }

    public IReadOnlyList<ReadingPoint> Readings { get; }

    public static MeterTimeline Of(MeterObservations meter, Instant asOf) => new(meter, asOf);

    /// <summary>The interval reading <paramref name="index"/> measured.</summary>
    public Interval IntervalOf(int index) =>
        new(index > 0 ? Readings[index - 1].At : Readings[index].At - DefaultInterval, Readings[index].At);

    /// <summary>Whether <paramref name="interval"/> lies wholly inside one of <paramref name="spans"/>.</summary>
    public static bool Within(IReadOnlyList<Interval> spans, Interval interval) =>
        spans.Any(s => s.Start <= interval.Start && interval.End <= s.End);

    /// <summary>The share of <paramref name="interval"/> (0 to 1) that <paramref name="spans"/> cover.</summary>
    public static double Share(IReadOnlyList<Interval> spans, Interval interval)
    {
        var covered = Duration.Zero;
        foreach (var s in spans)
        {
            var start = s.Start > interval.Start ? s.Start : interval.Start;
            var end = s.End < interval.End ? s.End : interval.End;
            if (end > start)
            {
                covered += end - start;
            }
        }
        return covered / interval.Duration;
    }

    /// <summary>The share (0 to 1) of <paramref name="interval"/>'s quarter hours with a reading ending in them.</summary>
    public double Coverage(Interval interval) =>
        Readings.Count(r => r.At > interval.Start && r.At <= interval.End) / (interval.Duration / DefaultInterval);

    /// <summary>Energy of the readings whose intervals end in <paramref name="interval"/>, Wh.</summary>
    public long EnergyIn(Interval interval) => Readings.Where(r => r.At > interval.Start && r.At <= interval.End).Sum(r => r.DeltaWh);

    private static List<Interval> Spans(List<EventPoint> events, string begins, string ends, Instant asOf)
    {
        var spans = new List<Interval>();
        Instant? open = null;
        foreach (var e in events)
        {
            if (e.Type == begins && open is null)
            {
                open = e.At;
            }
            else if (e.Type == ends && open is { } from)
            {
                spans.Add(new Interval(from, e.At));
                open = null;
            }
        }
        if (open is { } still && still < asOf)
        {
            spans.Add(new Interval(still, asOf));
        }
        return spans;
    }
}
