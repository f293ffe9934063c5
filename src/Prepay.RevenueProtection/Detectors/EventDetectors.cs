using System.Globalization;
using NodaTime;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Detectors;

/// <summary>Findings a meter's own events and voltages show: tamper, persistent overload, abnormal voltage, and outages shared by a site.</summary>
internal static class EventDetectors
{
    private static readonly Duration Day = Duration.FromDays(1);

    public static IEnumerable<Finding> Tamper(string site, MeterTimeline m, Interval window)
    {
        var tamper = m.Meter.Events.Where(e => e.Type is EventTypes.CoverOpen or EventTypes.MagneticTamper && window.Contains(e.At)).OrderBy(e => e.At).ToList();
        if (tamper.Count == 0)
        {
            yield break;
        }
        // The meter's own word: sure, more so when it said it more than once.
        yield return new Finding(FindingKind.Tamper, site, m.Meter.Meter, new Interval(tamper[0].At, tamper[^1].At + Duration.Epsilon),
            Math.Min(99, 85 + 5 * tamper.Count), $"{tamper.Count} tamper event(s): {string.Join(", ", tamper.Select(t => t.Type).Distinct())}",
            [.. tamper.Select(Event)]);
    }

    public static IEnumerable<Finding> Overload(string site, MeterTimeline m, Interval window, DetectionOptions o)
    {
        var trips = m.Meter.Events.Where(e => e.Type == EventTypes.Overload && window.Contains(e.At)).OrderBy(e => e.At).ToList();
        var busiest = Busiest(trips, Day);
        if (busiest.Count < o.OverloadTripsPerDay)
        {
            yield break;
        }
        yield return new Finding(FindingKind.PersistentOverload, site, m.Meter.Meter, new Interval(trips[0].At, trips[^1].At + Duration.Epsilon),
            Math.Min(99, 60 + 5 * busiest.Count), $"{trips.Count} overload trips, {busiest.Count} within a day", [.. trips.Select(Event)]);
    }

    public static IEnumerable<Finding> Voltage(string site, MeterTimeline m, Interval window, DetectionOptions o)
    {
        var excursions = m.Meter.Events.Where(e => e.Type is EventTypes.OverVoltage or EventTypes.UnderVoltage && window.Contains(e.At)).OrderBy(e => e.At).ToList();
        var longest = new List<ReadingPoint>();
        var run = new List<ReadingPoint>();
        foreach (var r in m.Readings.Where(r => window.Contains(r.At)))
        {
            // A reading of no voltage is an outage, not a low voltage.
            if (r.VoltageDeciVolts > 0 && (r.VoltageDeciVolts > o.HighDeciVolts || r.VoltageDeciVolts < o.LowDeciVolts))
            {
                run.Add(r);
                longest = run.Count > longest.Count ? [.. run] : longest;
            }
            else
            {
                run.Clear();
            }
        }
        var busiest = Busiest(excursions, Day);
        if (longest.Count < o.ReadingsOutOfLimits && busiest.Count < o.ExcursionsPerDay)
        {
            yield break;
        }
        var evidence = excursions.Select(Event).Concat(longest.Select(r => new Evidence(EvidenceKind.Reading, r.At, Reading(r), $"{r.VoltageDeciVolts / 10m:0.0} V"))).OrderBy(e => e.At).ToList();
        yield return new Finding(FindingKind.AbnormalVoltage, site, m.Meter.Meter, new Interval(evidence[0].At, evidence[^1].At + Duration.Epsilon),
            Math.Min(99, 70 + 5 * Math.Max(longest.Count - o.ReadingsOutOfLimits, busiest.Count - o.ExcursionsPerDay) + 10),
            $"voltage out of limits in {longest.Count} readings in a row, {excursions.Count} excursion event(s)", evidence);
    }

    /// <summary>
    /// Outages that several of the site's meters reported together, each the first of a cluster of outage events
    /// within <see cref="DetectionOptions.OutageTogether"/>: one finding for the site, its meters as evidence.
    /// </summary>
    public static IEnumerable<Finding> SiteOutages(SiteObservations site, Interval window, DetectionOptions o)
    {
        var outages = site.Meters.SelectMany(m => m.Events.Where(e => e.Type == EventTypes.PowerOutage && window.Contains(e.At)).Select(e => (Meter: m, Event: e)))
            .OrderBy(x => x.Event.At).ToList();
        var needed = Math.Max(o.OutageMeters, (site.Meters.Count * o.OutageSharePercent + 99) / 100);
        var i = 0;
        while (i < outages.Count)
        {
            var cluster = outages.Skip(i).TakeWhile(x => x.Event.At - outages[i].Event.At <= o.OutageTogether).ToList();
            var meters = cluster.Select(x => x.Meter.Meter).Distinct().Count();
            if (meters >= needed)
            {
                var last = cluster[^1].Event.At;
                yield return new Finding(FindingKind.SiteOutage, site.Site, null, new Interval(cluster[0].Event.At, last + Duration.Epsilon),
                    Math.Min(99, 60 + 40 * meters / site.Meters.Count),
                    $"{meters} of {site.Meters.Count} meters lost supply within {(last - cluster[0].Event.At).TotalMinutes:0} minutes",
                    [.. cluster.Select(x => new Evidence(EvidenceKind.Event, x.Event.At, $"{x.Meter.Meter.Value}/{x.Event.Id.ToString(CultureInfo.InvariantCulture)}", $"{x.Meter.Meter.Value}: {x.Event.Type}"))]);
            }
            i += cluster.Count;
        }
    }

    public static Evidence Event(EventPoint e) => new(EvidenceKind.Event, e.At, e.Id.ToString(CultureInfo.InvariantCulture), e.Type);

    public static string Reading(ReadingPoint r) => r.At.ToString("g", CultureInfo.InvariantCulture);

    // The most events that fall within one span of the given length.
    private static List<EventPoint> Busiest(List<EventPoint> events, Duration span)
    {
        var best = new List<EventPoint>();
        for (var i = 0; i < events.Count; i++)
        {
            var j = i;
            while (j < events.Count && events[j].At - events[i].At < span)
            {
                j++;
            }
            if (j - i > best.Count)
            {
                best = events.GetRange(i, j - i);
            }
        }
        return best;
    }
}
