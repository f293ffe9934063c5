namespace Prepay.MeterData.Readings;

/// <summary>Where an interval's values came from. An estimate is never passed off as a measurement.</summary>
public enum ReadingSource
{
    /// <summary>Measured and sent by the meter.</summary>
    Actual,

    /// <summary>Made up by the server for a missing interval (<see cref="Estimation.GapEstimator"/>); replaced when the meter's value arrives.</summary>
    Estimated,

    /// <summary>Set by an operator, with a reason kept in the audit.</summary>
    Edited,
}
