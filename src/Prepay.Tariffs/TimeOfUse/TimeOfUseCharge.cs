using NodaTime;
using Prepay.Tariffs.Documents;

namespace Prepay.Tariffs.TimeOfUse;

/// <summary>
/// Time-of-use pricing: seasons cover every day of the year exactly once, each day type's schedule starts at
/// 00:00 (both checked by the parser). Public holidays are listed dates in the tariff's zone.
/// </summary>
public sealed record TimeOfUseCharge(IReadOnlyList<TouSeason> Seasons, IReadOnlyList<LocalDate> PublicHolidays) : EnergyCharge
{
    public TouSeason SeasonOn(LocalDate date) =>
        Seasons.FirstOrDefault(s => s.Contains(date))
        ?? throw new InvalidOperationException($"No season covers {date:uuuu-MM-dd}; the parser should have refused this tariff.");

    public DayType DayTypeOf(LocalDate date) =>
        PublicHolidays.Contains(date) ? DayType.PublicHoliday
        : date.DayOfWeek switch
        {
            IsoDayOfWeek.Saturday => DayType.Saturday,
            IsoDayOfWeek.Sunday => DayType.Sunday,
            _ => DayType.Weekday,
        };
}
