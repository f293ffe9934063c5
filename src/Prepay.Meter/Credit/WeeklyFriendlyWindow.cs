using NodaTime;

namespace Prepay.Meter.Credit;

/// <summary>
/// A window of one weekday: from <see cref="Start"/> on <see cref="Day"/>, for <see cref="Minutes"/> (1 to 2880) on the
/// local clock, so it may run past midnight into the next day, or the one after (Monday 18:00 for 840 minutes ends
/// Tuesday 08:00). Counted on the local clock, not in elapsed time: across a daylight-saving change 18:00 + 840 still
/// ends at 08:00, which is what a policy that says "18:00 to 08:00" means.
/// </summary>
public sealed record WeeklyFriendlyWindow(IsoDayOfWeek Day, LocalTime Start, int Minutes)
{
    /// <summary>The longest window: to the end of the day after the one it starts on.</summary>
    public const int MaxMinutes = 2 * 1440;

    /// <summary>Whether <paramref name="local"/> lies in the window started on this or one of the two days before.</summary>
    public bool Contains(LocalDateTime local)
    {
        for (var back = 0; back <= 2; back++)
        {
            var date = local.Date.PlusDays(-back);
            if (date.DayOfWeek != Day)
            {
                continue;
            }
            var start = date + Start;
            if (local >= start && local < start.PlusMinutes(Minutes))
            {
                return true;
            }
        }
        return false;
    }
}
