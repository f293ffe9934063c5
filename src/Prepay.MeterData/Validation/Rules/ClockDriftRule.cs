namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// The meter's clock against the head-end's receive time. When the transport reports the meter's clock at sending
/// (<c>MeterClockAt</c>) drift is measured both ways; otherwise only a meter ahead shows, as an interval that ends
/// after it was received (one ending long before is a backlog being delivered, not drift).
/// </summary>
public sealed class ClockDriftRule : IValidationRule
{
    public const string Name = "clock-drift";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var reading = context.Reading;
        if (reading.ReceivedAt is not { } received)
        {
            return null;
        }
        var tolerance = context.Options.ClockDriftTolerance;
        if (reading.MeterClockAt is { } meterClock)
        {
            var drift = meterClock - received;
            return drift > tolerance || -drift > tolerance ? new ClockDrift(drift) : null;
        }
        var ahead = reading.End - received;
        return ahead > tolerance ? new ClockDrift(ahead) : null;
    }
}
