using NodaTime;
using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation;

/// <summary>What a rule sees: the new reading, the meter's validated history (not containing it), its rating and the time.</summary>
public sealed record ValidationContext(IntervalReading Reading, MeterHistory History, MeterRating Rating, Instant Now, VeeOptions Options)
{
    /// <summary>The nearest earlier reading whose register was measured.</summary>
    public IntervalReading? PreviousMeasured => History.Before(Reading.Start, MeterHistory.MeasuredRegister);

    /// <summary>The nearest later reading whose register was measured.</summary>
    public IntervalReading? NextMeasured => History.After(Reading.End, MeterHistory.MeasuredRegister);
}
