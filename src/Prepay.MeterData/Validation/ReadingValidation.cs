using Prepay.MeterData.Readings;

namespace Prepay.MeterData.Validation;

/// <summary>What the validator found about one reading: every rule's outcome, in the order the rules ran.</summary>
public sealed record ReadingValidation(IntervalReading Reading, IReadOnlyList<ReadingOutcome> Outcomes)
{
    /// <summary>A resend of what is held: store nothing.</summary>
    public bool IsDuplicate => Outcomes.Any(o => o is Duplicate);

    /// <summary>The first rule that made the reading suspect, or null.</summary>
    public ReadingOutcome? FirstSuspect => Outcomes.FirstOrDefault(o => o.Suspect);

    public bool IsSuspect => FirstSuspect is not null;

    /// <summary>The intervals missing before this reading, if any.</summary>
    public Gap? Gap => Outcomes.OfType<Gap>().FirstOrDefault();

    /// <summary>The estimate this reading replaces, if it is the real value of an estimated interval.</summary>
    public IntervalReading? ReplacedEstimate => Outcomes.OfType<ReplacesEstimate>().FirstOrDefault()?.Estimate;

    /// <summary>The quality to store the reading with.</summary>
    public ReadingQuality Quality =>
        IsSuspect ? ReadingQuality.Suspect
        : Reading.Source switch
        {
            ReadingSource.Estimated => ReadingQuality.Estimated,
            ReadingSource.Edited => ReadingQuality.Edited,
            _ => ReadingQuality.Valid,
        };

    /// <summary>The rule stored beside a suspect reading (for the operator), else null.</summary>
    public string? QualityRule => FirstSuspect?.Rule;
}
