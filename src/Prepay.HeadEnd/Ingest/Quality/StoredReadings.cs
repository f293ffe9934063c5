using NodaTime;
using Prepay.Domain.Energy;
using Prepay.Domain.Metering;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation;
using Row = Prepay.Storage.Records.Metering.IntervalReading;

namespace Prepay.HeadEnd.Ingest.Quality;

/// <summary>
/// Between a stored reading (keyed by its interval's end, register and interval energy always present) and
/// <c>Prepay.MeterData</c>'s <see cref="IntervalReading"/>.
/// </summary>
public static class StoredReadings
{
    public static IntervalReading ToReading(Row row, MeterNumber meter, Duration interval) =>
        new(meter, row.At - interval, row.At, new Energy(row.EnergyWh), new Energy(row.DeltaWh), Source(row.Quality))
        {
            Suspect = row.Quality == ReadingQuality.Suspect.Text(),
        };

    public static ReadingSource Source(string quality) =>
        quality == ReadingQuality.Estimated.Text() ? ReadingSource.Estimated
        : quality == ReadingQuality.Edited.Text() ? ReadingSource.Edited
        : ReadingSource.Actual;

    /// <summary>A row for an estimate: the register and energy made up, the instantaneous values unknown (zero).</summary>
    public static Row FromEstimate(IntervalReading estimate, Guid meterId, string method) => new()
    {
        MeterId = meterId, At = estimate.End, EnergyWh = estimate.Register!.Value.WattHours, DeltaWh = estimate.Energy!.Value.WattHours,
        Quality = ReadingQuality.Estimated.Text(), QualityRule = method,
    };

    public static Row WithQuality(Row row, ReadingValidation validation) => new()
    {
        MeterId = row.MeterId, At = row.At, EnergyWh = row.EnergyWh, DeltaWh = row.DeltaWh, CreditWh = row.CreditWh,
        VoltageDv = row.VoltageDv, CurrentMa = row.CurrentMa, PowerW = row.PowerW,
        Quality = validation.Quality.Text(), QualityRule = validation.QualityRule,
    };
}
