namespace Prepay.Meter.Events;

/// <summary>Why a reading was taken.</summary>
public enum ReadingKind
{
    /// <summary>At the end of a 15-minute interval (UTC-aligned).</summary>
    Interval,

    /// <summary>On a ReadNow command.</summary>
    OnDemand,
}
