using NodaTime;

namespace Prepay.Meter.Credit;

/// <summary>
/// When the meter must not disconnect for lack of credit, in the meter's local time: daily windows (nights),
/// whole days of the week (weekends) and public holidays. Evaluated on minute boundaries, so windows should
/// start and end on whole minutes.
/// </summary>
public sealed record FriendlyHours(
    IReadOnlyList<FriendlyWindow> DailyWindows,
    IReadOnlyList<IsoDayOfWeek> Days,
    IReadOnlyList<LocalDate> Holidays)
{
    /// <summary>No friendly hours.</summary>
    public static FriendlyHours None { get; } = new([], [], []);

    /// <summary>Whether <paramref name="local"/> is friendly.</summary>
    public bool Contains(LocalDateTime local) =>
        Days.Contains(local.DayOfWeek)
        || Holidays.Contains(local.Date)
        || DailyWindows.Any(w => w.Contains(local.TimeOfDay));
}
