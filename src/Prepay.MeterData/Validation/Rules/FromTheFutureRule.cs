namespace Prepay.MeterData.Validation.Rules;

/// <summary>An interval cannot end after now: beyond <see cref="VeeOptions.FutureTolerance"/> it is a clock or a forgery.</summary>
public sealed class FromTheFutureRule : IValidationRule
{
    public const string Name = "from-the-future";

    public string RuleName => Name;

    public ReadingOutcome? Check(ValidationContext context)
    {
        var ahead = context.Reading.End - context.Now;
        return ahead > context.Options.FutureTolerance ? new FromTheFuture(ahead) : null;
    }
}
