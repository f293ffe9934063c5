using NodaTime;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.TimeOfUse;

/// <summary>
/// A season: the dates <see cref="From"/> to <see cref="To"/> inclusive (wrapping over the new year when From is
/// later than To), its period rates, and for each <see cref="DayType"/> the local times at which periods start.
/// </summary>
public sealed record TouSeason(
    string Name,
    AnnualDate From,
    AnnualDate To,
    IReadOnlyDictionary<string, EnergyRate> Rates,
    IReadOnlyDictionary<DayType, IReadOnlyList<PeriodSwitch>> Days)
{
    public bool Contains(LocalDate date)
    {
        // Feb 29 written as a season edge falls back to Feb 28 in common years (AnnualDate.InYear does the same).
        var day = new AnnualDate(date.Month, date.Day);
        return From <= To ? day >= From && day <= To : day >= From || day <= To;
    }

    /// <summary>The switch in force at <paramref name="time"/> on a day of the given type and the next switch time, if any that day.</summary>
    public (PeriodSwitch Current, LocalTime? NextSwitch) PeriodAt(DayType dayType, LocalTime time)
    {
        var switches = Days[dayType];
        var index = 0;
        for (var i = 1; i < switches.Count && switches[i].From <= time; i++)
        {
            index = i;
        }
        return (switches[index], index + 1 < switches.Count ? switches[index + 1].From : null);
    }
}

/// <summary>From this local time of day until the next switch (or midnight) the named period applies.</summary>
public readonly record struct PeriodSwitch(LocalTime From, string Period);
