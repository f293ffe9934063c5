namespace Prepay.MeterData.Validation;

/// <summary>One check on a new reading. Null: nothing to say.</summary>
public interface IValidationRule
{
    /// <summary>The name an operator sees and configuration switches off (<see cref="VeeOptions.DisabledRules"/>).</summary>
    string RuleName { get; }

    ReadingOutcome? Check(ValidationContext context);
}
