using NodaTime;

namespace Prepay.Policy.Holidays;

/// <summary>
/// The public holidays of one region for the years it <see cref="Covers"/>, as published by the authority cited in
/// <see cref="Source"/>. A year it does not cover is unknown, not holiday-free: the evaluator refuses to guess.
/// </summary>
public sealed record HolidayCalendar(string Region, string Name, IReadOnlyList<string> Source, int FirstYear, int LastYear, IReadOnlyDictionary<LocalDate, string> Days)
{
    public bool Covers(int year) => year >= FirstYear && year <= LastYear;

    /// <summary>The holiday's name on <paramref name="date"/>, or null when it is an ordinary day.</summary>
    public string? HolidayOn(LocalDate date) => Days.TryGetValue(date, out var name) ? name : null;
}
