namespace Prepay.MeterData.Estimation;

/// <summary>How a gap's values were made up, stored with them so an operator can tell.</summary>
public enum EstimationMethod
{
    /// <summary>The register's step across the gap, spread evenly over its intervals (<see cref="LinearSpread"/>).</summary>
    Linear,

    /// <summary>The same intervals a week (or, failing that, a day) before.</summary>
    Profile,
}
