using NodaTime;
using Prepay.Domain.Money;

namespace Prepay.Policy.Documents;

/// <summary>
/// One version of a disconnection policy: when a meter may be cut and what protects a customer from it. Read from
/// JSON by <see cref="PolicyDocumentJson.Parse"/>; never changed once published, a higher version supersedes it from
/// its <see cref="EffectiveFrom"/> (a date in <see cref="TimeZone"/>), as tariffs do. Local times, dates and annual
/// dates are read in the zone of the site being decided (<see cref="Decisions.DisconnectionRequest.Zone"/>); the
/// policy's own zone is for its effective date and for sites whose zone is not known.
/// </summary>
public sealed record PolicyDocument(
    string Code,
    string Name,
    int Version,
    LocalDate EffectiveFrom,
    DateTimeZone TimeZone,
    Currency Currency,
    IReadOnlyList<string> Source,
    FriendlyHours FriendlyHours,
    PublicHolidayRule? PublicHolidays,
    EmergencyCreditRule? EmergencyCredit,
    ProtectionRules Protections,
    Period? GraceAfterSwitch,
    AlertThresholds Alerts,
    DebtRecoveryCap? DebtRecovery,
    IReadOnlyList<string> Notes)
{
    /// <summary>The instant this version takes effect: the start of its effective date in its own zone.</summary>
    public Instant EffectiveAt => EffectiveFrom.AtStartOfDayInZone(TimeZone).ToInstant();
}

/// <summary>
/// A no-disconnection window starting on one weekday: from <see cref="Start"/> to <see cref="End"/> local time,
/// <see cref="End"/> falling on the next day when <see cref="EndsNextDay"/> (18:00 to 08:00, or 00:00 to "24:00").
/// </summary>
public sealed record FriendlyWindow(LocalTime Start, LocalTime End, bool EndsNextDay);

/// <summary>Friendly (no-disconnection) hours by the weekday each window starts on; a day not listed has none.</summary>
public sealed record FriendlyHours(IReadOnlyDictionary<IsoDayOfWeek, IReadOnlyList<FriendlyWindow>> Days)
{
    public static FriendlyHours None { get; } = new(new Dictionary<IsoDayOfWeek, IReadOnlyList<FriendlyWindow>>());

    public IReadOnlyList<FriendlyWindow> On(IsoDayOfWeek day) => Days.TryGetValue(day, out var w) ? w : [];
}

/// <summary>No disconnection on the public holidays of <see cref="Region"/>'s calendar (a site may name its own region).</summary>
public sealed record PublicHolidayRule(string Region);

/// <summary>
/// Emergency credit is offered, and while a meter runs on it, it is not disconnected: <see cref="Amount"/> the
/// customer may take once the balance is at or below <see cref="AvailableBelow"/>, repaid by
/// <see cref="RepaymentPercent"/> % of each following top-up until repaid. A figure left null is not stated by the
/// policy's source (the meter's own setting applies).
/// </summary>
public sealed record EmergencyCreditRule(Money? Amount, Money? AvailableBelow, int? RepaymentPercent);

/// <summary>Who is never disconnected, and the seasons in which nobody (or no protected household) is.</summary>
public sealed record ProtectionRules(bool NeverMedical, bool NeverVulnerable, IReadOnlyList<Moratorium> Moratoria)
{
    public static ProtectionRules None { get; } = new(false, false, []);
}

/// <summary>
/// A seasonal moratorium from <see cref="From"/> to <see cref="To"/> (both days included; may run over the new year,
/// 11-01 to 03-31), for everyone or for protected households only.
/// </summary>
public sealed record Moratorium(string Name, AnnualDate From, AnnualDate To, MoratoriumScope AppliesTo);

public enum MoratoriumScope
{
    Everyone,
    Protected,
}

/// <summary>Alerts at these percentages of the last top-up's credit left, highest first (30, 10, 0).</summary>
public sealed record AlertThresholds(IReadOnlyList<int> PercentOfLastTopUp)
{
    public static AlertThresholds None { get; } = new([]);
}

/// <summary>The most of any top-up that may go to recovering debt, in percent.</summary>
public sealed record DebtRecoveryCap(int MaxPercentOfTopUp);
