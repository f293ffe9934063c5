using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.MeterData;
using Prepay.MeterData.Estimation;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;
using Prepay.Storage;
using Row = Prepay.Storage.Records.Metering.IntervalReading;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>
/// Runs <c>Prepay.MeterData</c>'s validator over a batch of readings before <see cref="ReadingWriter"/> stores it:
/// each reading gets its quality, duplicates are dropped, conflicts counted (the stored values stand), gaps estimated
/// and estimates replaced with their adjustments.
/// <para>
/// Cost: a reading later than the latest this process stored for its meter (the usual case: meters send in order)
/// is checked against that latest row, kept in memory, with no query. Meters with a reading at or before it, or not
/// seen since start, are read from the database in one query per batch: their rows from a day before the batch's
/// earliest such reading to a day after its latest (<see cref="Neighbourhood"/>). So a batch costs one query at most,
/// and none in the steady state.
/// </para>
/// </summary>
public sealed class IngestValidation(VeeOptions options, IClock clock)
{
    /// <summary>
    /// How far around a reading its neighbours are read when they are not known here: one day, enough for out-of-order
    /// and resent readings, small enough that a batch after a restart reads at most 96 rows per meter around it. A gap
    /// longer than that which ends in the first reading after a restart is not seen.
    /// </summary>
    public static readonly Duration Neighbourhood = Duration.FromDays(1);

    private readonly ReadingValidator _validator = ReadingValidator.Configured(options);
    private readonly MeterRating _rating = options.DefaultRating;
    private readonly ConcurrentDictionary<Guid, Row> _latest = new();

    public VeeOptions Options => options;

    public async Task<ValidatedBatch> ValidateAsync(PrepayDb db, IReadOnlyList<PendingReading> batch, CancellationToken ct)
    {
        var result = new ValidatedBatch();
        var now = clock.GetCurrentInstant();
        var meters = batch.GroupBy(p => p.Row.MeterId).ToList();
        var unknown = meters.Where(m => !_latest.TryGetValue(m.Key, out var latest) || m.Any(p => p.Row.At <= latest.At)).ToList();
        var loaded = unknown.Count == 0 ? null : await LoadAsync(db, unknown, ct);
        foreach (var meter in meters)
        {
            var number = MeterNumber.Parse(meter.First().MeterNumber);
            IEnumerable<Row> held = loaded?.GetValueOrDefault(meter.Key) ?? (_latest.TryGetValue(meter.Key, out var latest) ? [latest] : []);
            var history = new MeterHistory(held.Select(r => StoredReadings.ToReading(r, number, options.IntervalLength)));
            foreach (var pending in meter.OrderBy(p => p.Row.At))
            {
                history = Validate(pending, number, history, now, result);
            }
        }
        return result;
    }

    /// <summary>After the batch committed: what it stored is now the latest known for its meters.</summary>
    public void Committed(ValidatedBatch batch)
    {
        foreach (var row in batch.Inserts.Concat(batch.Replacements.Select(r => r.Row)))
        {
            _latest.AddOrUpdate(row.MeterId, row, (_, known) => row.At > known.At ? row : known);
        }
    }

    private MeterHistory Validate(PendingReading pending, MeterNumber number, MeterHistory history, Instant now, ValidatedBatch result)
    {
        var reading = StoredReadings.ToReading(pending.Row, number, options.IntervalLength) with { ReceivedAt = pending.ReceivedAt };
        var validation = _validator.Validate(reading, history, _rating, now);
        if (validation.IsDuplicate)
        {
            result.Duplicates++;
            return history;
        }
        if (validation.Outcomes.Any(o => o is Conflict))
        {
            result.Conflicts.Add(pending.MeterNumber);
            return history;
        }
        var row = StoredReadings.WithQuality(pending.Row, validation);
        if (validation.ReplacedEstimate is { } estimate)
        {
            result.Replacements.Add((row, estimate.Energy!.Value.WattHours));
        }
        else
        {
            result.Inserts.Add(row);
        }
        if (validation.Gap is { } gap && !validation.IsSuspect
            && GapEstimator.Estimate(gap, reading, history, _rating, options) is Estimated { } estimated
            && estimated.Readings.All(r => r.Register is not null))
        {
            var method = estimated.Method == EstimationMethod.Linear ? "linear" : "profile";
            foreach (var made in estimated.Readings)
            {
                result.Inserts.Add(StoredReadings.FromEstimate(made, pending.Row.MeterId, method));
                history = history.With(made);
            }
        }
        return history.With(reading with { Suspect = validation.IsSuspect });
    }

    private async Task<Dictionary<Guid, List<Row>>> LoadAsync(PrepayDb db, IReadOnlyList<IGrouping<Guid, PendingReading>> meters, CancellationToken ct)
    {
        var ids = meters.Select(m => m.Key).ToList();
        var from = meters.SelectMany(m => m).Min(p => p.Row.At) - Neighbourhood;
        var to = meters.SelectMany(m => m).Max(p => p.Row.At) + Neighbourhood;
        var rows = await db.Readings.AsNoTracking().Where(r => ids.Contains(r.MeterId) && r.At >= from && r.At <= to).ToListAsync(ct);
        return rows.GroupBy(r => r.MeterId).ToDictionary(g => g.Key, g => g.ToList());
    }
}
