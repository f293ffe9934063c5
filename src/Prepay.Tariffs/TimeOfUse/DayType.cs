namespace Prepay.Tariffs.TimeOfUse;

/// <summary>The kinds of day a time-of-use schedule distinguishes. A listed public holiday wins over the weekday.</summary>
public enum DayType
{
    Weekday,
    Saturday,
    Sunday,
    PublicHoliday,
}
