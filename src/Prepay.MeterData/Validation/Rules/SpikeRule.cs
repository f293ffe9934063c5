using Prepay.Domain.Energy;
using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// More energy than the meter's rating allows: Imax × V × time. The interval's own energy when the reading carries
/// it, else the register's step from the previous measured reading over the time between.
/// </summary>
public sealed class SpikeRule : IValidationRule
{
    public const string Name = "spike";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var reading = context.Reading;
        if (reading.Energy is { } energy)
        {
            return Over(energy, reading, reading.Length, context.Rating);
        }
        if (context.PreviousMeasured is { } previous)
        {
            var (kind, delta) = RegisterStep.Between(previous, reading, context.Rating);
            return kind == RegisterStep.Kind.Backwards ? null : Over(delta, reading, reading.End - previous.End, context.Rating);
        }
        return null;
    }

    private static Spike? Over(Energy energy, IntervalReading reading, NodaTime.Duration span, MeterRating rating) =>
        rating.Allows(energy, span) ? null : new Spike(energy, rating.MaxEnergy(span), span);
}
