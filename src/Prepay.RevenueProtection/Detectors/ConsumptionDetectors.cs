using System.Globalization;
using NodaTime;
using Prepay.RevenueProtection.Findings;
using Prepay.RevenueProtection.Observations;

namespace Prepay.RevenueProtection.Detectors;

/// <summary>Findings the energy a meter counts shows: consumption while disconnected, a suspected bypass, a meter gone silent.</summary>
internal static class ConsumptionDetectors
{
    private static readonly Duration Day = Duration.FromDays(1);

    /// <summary>Energy in intervals lying wholly inside a span of open relay (and of supply on): the meter counted what it says it cut.</summary>
    public static IEnumerable<Finding> WhileDisconnected(string site, MeterTimeline m, Interval window, DetectionOptions o)
    {
        var counted = new List<(ReadingPoint Reading, Interval Interval)>();
        for (var i = 0; i < m.Readings.Count; i++)
        {
            var interval = m.IntervalOf(i);
            var r = m.Readings[i];
            if (window.Contains(r.At) && r.DeltaWh > o.OpenIntervalWh && MeterTimeline.Within(m.RelayOpen, interval))
            {
                counted.Add((r, interval));
            }
        }
        if (counted.Count < o.OpenIntervals)
        {
            yield break;
        }
        var wh = counted.Sum(c => c.Reading.DeltaWh);
        yield return new Finding(FindingKind.ConsumptionWhileDisconnected, site, m.Meter.Meter, new Interval(counted[0].Interval.Start, counted[^1].Interval.End),
            Math.Min(99, 70 + 2 * counted.Count), $"{wh} Wh counted in {counted.Count} intervals while the relay was open",
            [.. counted.Select(c => new Evidence(EvidenceKind.Reading, c.Reading.At, EventDetectors.Reading(c.Reading), $"{c.Reading.DeltaWh} Wh with the relay open"))]);
    }

    /// <summary>
    /// A drop: the meter's daily energy since some day fell to at most <see cref="DetectionOptions.DropPercent"/> of
    /// the median of its own days before, for at least <see cref="DetectionOptions.DropDays"/>, neither the relay open
    /// nor the supply off explaining it, while the median of its neighbours kept at least
    /// <see cref="DetectionOptions.NeighboursKeptPercent"/> of theirs over the same days.
    /// </summary>
    public static IEnumerable<Finding> Bypass(string site, MeterTimeline m, IReadOnlyList<MeterTimeline> neighbours, Interval window, DetectionOptions o)
    {
        var days = (int)(window.Duration / Day);
        if (days < o.BaselineDays + o.DropDays)
        {
            yield break;
        }
        Interval DayOf(int k) => new(window.End - Day * (days - k), window.End - Day * (days - k - 1));
        (int Start, long Baseline, long After, int Percent)? best = null;
        for (var s = o.BaselineDays; s <= days - o.DropDays; s++)
        {
            var drop = Drop(m, s);
            if (drop is { } d && d.Baseline >= o.BaselineWhPerDay && (best is null || d.Percent < best.Value.Percent))
            {
                best = (s, d.Baseline, d.After, d.Percent);
            }
        }
        if (best is not { } found || found.Percent > o.DropPercent)
        {
            yield break;
        }
        var kept = neighbours.Where(n => n != m).Select(n => Drop(n, found.Start)).OfType<(long Baseline, long After, int Percent)>()
            .Where(d => d.Baseline >= o.BaselineWhPerDay).Select(d => d.Percent).Order().ToList();
        if (kept.Count < 2 || kept[kept.Count / 2] < o.NeighboursKeptPercent)
        {
            yield break;
        }
        var since = DayOf(found.Start).Start;
        var evidence = Enumerable.Range(found.Start - o.BaselineDays, days - found.Start + o.BaselineDays)
            .Select(k => new Evidence(EvidenceKind.Reading, DayOf(k).End, DayOf(k).Start.ToString("g", CultureInfo.InvariantCulture), $"{m.EnergyIn(DayOf(k))} Wh in the day"))
            .Append(new Evidence(EvidenceKind.Neighbours, window.End, site, $"{kept.Count} neighbours kept a median {kept[kept.Count / 2]} % of their consumption"))
            .ToList();
        yield return new Finding(FindingKind.BypassSuspected, site, m.Meter.Meter, new Interval(since, window.End),
            Math.Clamp(60 + 2 * (o.DropPercent - found.Percent), 60, 95),
            $"consumption fell to {found.Percent} % of its own ({found.After} Wh a day against {found.Baseline}) with the relay closed and the supply on; neighbours kept {kept[kept.Count / 2]} %",
            evidence);

        // Baseline: the median of the days before s; after: the mean of the days from s; null when the relay or the supply explains it.
        // A meter that stopped sending readings says nothing of its consumption: too few readings is no drop.
        (long Baseline, long After, int Percent)? Drop(MeterTimeline t, int s)
        {
            var after = new Interval(DayOf(s).Start, window.End);
            var before = new Interval(DayOf(s - o.BaselineDays).Start, after.Start);
            if (Math.Max(MeterTimeline.Share(t.RelayOpen, after), MeterTimeline.Share(t.NoSupply, after)) * 100 > o.ExplainedPercent
                || t.Coverage(after) * 100 < o.ReadingCoveragePercent || t.Coverage(before) * 100 < o.ReadingCoveragePercent)
            {
                return null;
            }
            var daily = Enumerable.Range(s - o.BaselineDays, o.BaselineDays).Select(k => t.EnergyIn(DayOf(k))).Order().ToList();
            var baseline = daily[daily.Count / 2];
            var mean = t.EnergyIn(after) / (days - s);
            return baseline <= 0 ? null : (baseline, mean, (int)(mean * 100 / baseline));
        }
    }

    /// <summary>No reading for <see cref="DetectionOptions.SilentAfter"/> while most of the site's other meters report, and no outage the meter reported still open.</summary>
    public static IEnumerable<Finding> Silent(string site, MeterTimeline m, IReadOnlyList<MeterTimeline> all, Interval window, DetectionOptions o)
    {
        var asOf = window.End;
        var last = m.Readings.Count > 0 ? m.Readings[^1].At : window.Start;
        if (asOf - last < o.SilentAfter || m.NoSupply.Any(s => s.End >= asOf))
        {
            yield break;
        }
        var others = all.Where(n => n != m).ToList();
        var reporting = others.Count(n => n.Readings.Count > 0 && asOf - n.Readings[^1].At < o.SilentAfter);
        if (others.Count == 0 || reporting * 2 < others.Count)
        {
            yield break;
        }
        yield return new Finding(FindingKind.StoppedReporting, site, m.Meter.Meter, new Interval(last, asOf),
            Math.Min(95, 60 + (int)((asOf - last) / o.SilentAfter * 10)),
            $"no reading for {(asOf - last).TotalHours:0} hours while {reporting} of the site's {others.Count} other meters report",
            [new Evidence(EvidenceKind.Reading, last, m.Readings.Count > 0 ? EventDetectors.Reading(m.Readings[^1]) : "none", "last reading"),
             new Evidence(EvidenceKind.Neighbours, asOf, site, $"{reporting} of {others.Count} reporting")]);
    }
}
