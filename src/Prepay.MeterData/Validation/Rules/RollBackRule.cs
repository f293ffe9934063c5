namespace Prepay.MeterData.Validation.Rules;

/// <summary>
/// The register went backwards against either measured neighbour (the earlier one, or a later one already held when
/// the reading arrives out of order) by more than a wrap explains.
/// </summary>
public sealed class RollBackRule : IValidationRule
{
    public const string Name = "roll-back";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var reading = context.Reading;
        if (reading.Register is null)
        {
            return null;
        }
        if (context.PreviousMeasured is { } previous && RegisterStep.Between(previous, reading, context.Rating).Kind == RegisterStep.Kind.Backwards)
        {
            return new RollBack(previous.Register!.Value, reading.Register.Value);
        }
        if (context.NextMeasured is { } next && RegisterStep.Between(reading, next, context.Rating).Kind == RegisterStep.Kind.Backwards)
        {
            return new RollBack(reading.Register.Value, next.Register!.Value);
        }
        return null;
    }
}
