using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.MeterData;
using Prepay.Storage;

namespace Prepay.HeadEnd.Quality;

/// <summary>A meter's readings in a range, counted by quality (and rule), with the intervals that are not plainly valid.</summary>
public sealed record DataQuality(string MeterNumber, Instant From, Instant To, IReadOnlyList<QualityCount> Counts,
    IReadOnlyList<FlaggedInterval> Flagged, long ConflictsRefused);

/// <summary>How many readings have <see cref="Quality"/> (and, for suspect or estimated ones, <see cref="Rule"/>).</summary>
public sealed record QualityCount(string Quality, string? Rule, int Count);

/// <summary>An interval that is estimated, edited or suspect.</summary>
public sealed record FlaggedInterval(Instant IntervalStart, Instant IntervalEnd, string Quality, string? Rule, long EnergyWh, long RegisterWh);

/// <summary>What an operator sees of a meter's data quality (<c>GET /meters/{n}/data-quality</c>).</summary>
public static class DataQualityReport
{
    public const int MaxFlagged = 1000;

    public abstract record Outcome
    {
        public sealed record Found(DataQuality Report) : Outcome;

        public sealed record NoMeter : Outcome;
    }

    public static async Task<Outcome> ReadAsync(PrepayDb db, VeeOptions options, string meterNumber, Instant from, Instant to, CancellationToken ct)
    {
        var meterId = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (meterId is not { } id)
        {
            return new Outcome.NoMeter();
        }
        var inRange = db.Readings.AsNoTracking().Where(r => r.MeterId == id && r.At > from && r.At <= to);
        var counts = await inRange.GroupBy(r => new { r.Quality, r.QualityRule })
            .Select(g => new { g.Key.Quality, g.Key.QualityRule, Count = g.Count() }).ToListAsync(ct);
        var flagged = await inRange.Where(r => r.Quality != "valid").OrderBy(r => r.At).Take(MaxFlagged)
            .Select(r => new { r.At, r.Quality, r.QualityRule, r.DeltaWh, r.EnergyWh }).ToListAsync(ct);
        var conflicts = await db.PayloadRejections.AsNoTracking().Where(r => r.MeterNumber == meterNumber && r.Reason == "reading-conflict")
            .Select(r => (long?)r.Count).FirstOrDefaultAsync(ct) ?? 0;
        return new Outcome.Found(new DataQuality(meterNumber, from, to,
            counts.OrderBy(c => c.Quality, StringComparer.Ordinal).ThenBy(c => c.QualityRule, StringComparer.Ordinal).Select(c => new QualityCount(c.Quality, c.QualityRule, c.Count)).ToList(),
            flagged.Select(r => new FlaggedInterval(r.At - options.IntervalLength, r.At, r.Quality, r.QualityRule, r.DeltaWh, r.EnergyWh)).ToList(),
            conflicts));
    }
}
