using NodaTime;

namespace Prepay.Meter.Credit;

/// <summary>
/// When the meter must not disconnect for lack of credit, in the meter's local time: daily windows (nights),
/// whole days of the week (weekends), public holidays, and windows of one weekday each (<see cref="WeeklyWindows"/>,
/// as a disconnection policy pushed by <c>setCreditPolicy</c> gives them). Evaluated on minute boundaries, so
/// windows should start and end on whole minutes.
/// </summary>
public sealed record FriendlyHours(
    IReadOnlyList<FriendlyWindow> DailyWindows,
    IReadOnlyList<IsoDayOfWeek> Days,
    IReadOnlyList<LocalDate> Holidays)
{
    /// <summary>No friendly hours.</summary>
    public static FriendlyHours None { get; } = new([], [], []);

    /// <summary>Windows of one weekday each, which may run past midnight; none unless given (snapshots from before them read as none).</summary>
    public IReadOnlyList<WeeklyFriendlyWindow> WeeklyWindows { get; init; } = [];

    /// <summary>Whether <paramref name="local"/> is friendly.</summary>
    public bool Contains(LocalDateTime local) =>
        Days.Contains(local.DayOfWeek)
        || Holidays.Contains(local.Date)
        || DailyWindows.Any(w => w.Contains(local.TimeOfDay))
        || WeeklyWindows.Any(w => w.Contains(local));
}
