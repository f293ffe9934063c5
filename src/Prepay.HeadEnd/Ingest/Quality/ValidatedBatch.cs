using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>
/// A batch after validation, written in one transaction (<see cref="ReadingWriter"/>): new rows with their quality
/// (estimates for gaps among them), rows whose real values replace an estimate, and the adjustments those make.
/// </summary>
public sealed class ValidatedBatch
{
    public List<IntervalReading> Inserts { get; } = [];

    /// <summary>
    /// Real values for intervals stored as estimates, with the estimate's energy: written over the estimate only while
    /// it is one, and then (in the same statement's transaction) its <see cref="ReadingAdjustment"/> recorded.
    /// </summary>
    public List<(IntervalReading Row, long EstimatedWh)> Replacements { get; } = [];

    public int Duplicates { get; set; }

    /// <summary>Meters that sent other values for an interval already stored (the stored ones stand), one entry per reading.</summary>
    public List<string> Conflicts { get; } = [];
}
