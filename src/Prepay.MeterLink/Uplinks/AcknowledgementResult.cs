namespace Prepay.MeterLink.Uplinks;

/// <summary>What the meter did with a command.</summary>
public enum AcknowledgementResult
{
    /// <summary>Applied now.</summary>
    Applied,

    /// <summary>Seen before under the same id: not applied again.</summary>
    Duplicate,

    /// <summary>Refused, never applied; the reason says why.</summary>
    Rejected,
}
