using NodaTime;

namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// Intervals missing between the previous reading held (of any source: an estimate fills its interval) and this one,
/// cut at <see cref="VeeOptions.IntervalLength"/>. The first reading of a meter has nothing before it, so no gap.
/// </summary>
public sealed class GapRule : IValidationRule
{
    public const string Name = "gap";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var reading = context.Reading;
        if (context.History.Before(reading.Start) is not { } previous || previous.End >= reading.Start)
        {
            return null;
        }
        var missing = new List<Interval>();
        for (var start = previous.End; start < reading.Start; start += context.Options.IntervalLength)
        {
            var end = start + context.Options.IntervalLength;
            missing.Add(new Interval(start, end < reading.Start ? end : reading.Start));
        }
        return new Gap(previous, missing);
    }
}
