using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// A reading for an interval already held: the same values again is a resend (ignored, so a meter may resend a batch
/// it is unsure of); other values conflict and the stored ones stand; real values for an estimate replace it.
/// </summary>
public sealed class SameIntervalRule : IValidationRule
{
    public const string Name = "same-interval";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var reading = context.Reading;
        if (context.History.At(reading.Start) is not { } stored)
        {
            return null;
        }
        if (stored.Source == ReadingSource.Estimated && reading.Source != ReadingSource.Estimated)
        {
            return new ReplacesEstimate(stored);
        }
        return stored.SameValuesAs(reading) ? new Duplicate(stored) : new Conflict(stored);
    }
}
