using NodaTime;
using Prepay.Domain.Money;
using Prepay.Tariffs.Debt;
using Prepay.Tariffs.FixedCharges;
using Prepay.Tariffs.FreeBasic;
using Prepay.Tariffs.Taxes;

namespace Prepay.Tariffs.Documents;

/// <summary>
/// One version of a published tariff. Tariffs are data: a new price is a new document with a higher
/// <see cref="Version"/> and a later <see cref="EffectiveFrom"/>, never an edit of an old one.
/// Build one with <see cref="TariffDocumentJson.Parse"/>, which checks every field.
/// </summary>
/// <param name="EffectiveFrom">First day the tariff applies, as a date in <see cref="TimeZone"/>.</param>
/// <param name="TimeZone">IANA zone (TZDB) in which days, months and time-of-use periods are counted.</param>
public sealed record TariffDocument(
    string Code,
    string Name,
    int Version,
    LocalDate EffectiveFrom,
    DateTimeZone TimeZone,
    Currency Currency,
    EnergyCharge Energy,
    IReadOnlyList<FixedCharge> FixedCharges,
    IReadOnlyList<TaxRule> Taxes,
    DebtRecoveryRule? DebtRecovery,
    FreeBasicRule? FreeBasic)
{
    /// <summary>The instant's date in the tariff's zone.</summary>
    public LocalDate LocalDateOf(Instant instant) => instant.InZone(TimeZone).Date;

    /// <summary>The calendar month, in the tariff's zone, that an instant falls in: blocks, caps and FBE reset on it.</summary>
    public YearMonth MonthOf(Instant instant) => LocalDateOf(instant).ToYearMonth();

    /// <summary>The first instant of the month containing <paramref name="instant"/>, in the tariff's zone.</summary>
    public Instant StartOfMonth(Instant instant) =>
        TimeZone.AtStartOfDay(MonthOf(instant).OnDayOfMonth(1)).ToInstant();

    public bool IsEffectiveAt(Instant instant) => LocalDateOf(instant) >= EffectiveFrom;
}
