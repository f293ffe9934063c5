using NodaTime;

namespace Prepay.Meter.Credit;

/// <summary>A daily local-time window [Start, End); End before Start wraps past midnight (22:00–06:00).</summary>
public sealed record FriendlyWindow(LocalTime Start, LocalTime End)
{
    /// <summary>Whether <paramref name="time"/> lies in the window.</summary>
    public bool Contains(LocalTime time) => Start <= End
        ? time >= Start && time < End
        : time >= Start || time < End;
}
