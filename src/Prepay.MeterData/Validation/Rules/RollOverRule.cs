namespace Prepay.MeterData.Validation.Rules;

/// <summary>The register wrapped at its capacity since the previous measured reading: fine, and the true delta is reported.</summary>
public sealed class RollOverRule : IValidationRule
{
    public const string Name = "roll-over";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        if (context.Reading.Register is not { } current || context.PreviousMeasured is not { } previous)
        {
            return null;
        }
        var (kind, delta) = RegisterStep.Between(previous, context.Reading, context.Rating);
        return kind == RegisterStep.Kind.Wrapped ? new RollOver(previous.Register!.Value, current, delta) : null;
    }
}
