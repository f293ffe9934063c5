using NodaTime;
using Prepay.MeterData.Readings;
using Prepay.MeterData.Validation.Rules;

namespace Prepay.MeterData.Validation;

/// <summary>
/// Runs the configured rules over a new reading against the meter's validated history. Pure: no clock, no storage;
/// the caller passes the time and the history (the reading's neighbours, and the week before for estimation).
/// A duplicate or a conflict stops there: the other rules would only repeat what was said of the stored reading.
/// </summary>
public sealed class ReadingValidator
{
    private readonly IReadOnlyList<IValidationRule> _rules;
    private readonly VeeOptions _options;

    public ReadingValidator(IEnumerable<IValidationRule> rules, VeeOptions options)
    {
        _options = options;
        _rules = rules.Where(r => !options.DisabledRules.Contains(r.RuleName, StringComparer.Ordinal)).ToArray();
    }

    /// <summary>Every rule Prepay has, in the order they run: what is held first, time next, then the register.</summary>
    public static IReadOnlyList<IValidationRule> AllRules { get; } =
    [
        new SameIntervalRule(), new FromTheFutureRule(), new ClockDriftRule(), new RollOverRule(), new RollBackRule(),
        new SpikeRule(), new GapRule(),
    ];

    public static ReadingValidator Configured(VeeOptions options) => new(AllRules, options);

    public IReadOnlyList<string> RuleNames => _rules.Select(r => r.RuleName).ToArray();

    public ReadingValidation Validate(IntervalReading reading, MeterHistory history, MeterRating rating, Instant now)
    {
        var context = new ValidationContext(reading, history, rating, now, _options);
        var outcomes = new List<ReadingOutcome>();
        foreach (var rule in _rules)
        {
            if (rule.Check(context) is not { } outcome)
            {
                continue;
            }
            outcomes.Add(outcome);
            if (outcome is Duplicate or Conflict)
            {
                break;
            }
        }
        if (outcomes.Count == 0)
        {
            outcomes.Add(new Valid());
        }
        return new ReadingValidation(reading, outcomes);
    }
}
