using NodaTime;

namespace Prepay.Statements.Days;

/// <summary>A customer's meters, day by day, over a range of local days.</summary>
public sealed record CustomerStatement(Guid CustomerId, LocalDate From, LocalDate To, IReadOnlyList<MeterStatement> Meters);

/// <summary>
/// One meter's days. <see cref="Model"/> says where its credit is held: <c>central</c> (deductions taken on the server,
/// every amount known to the minor unit) or <c>meter</c> (the meter holds its credit and takes it itself: top-ups and
/// energy only, money deductions and balances are not known here and are null). Days are local days in
/// <see cref="TimeZone"/>, the meter's tariff's zone.
/// </summary>
public sealed record MeterStatement(
    string MeterNumber, string Model, string Currency, string TimeZone, IReadOnlyList<StatementDay> Days, IReadOnlyList<string> Notes);

/// <summary>Energy of a time-of-use period (or block, or the flat rate) over a day, and its price when known.</summary>
public sealed record EnergyLine(string Period, long Wh, long? Minor);

/// <summary>
/// One local day of a meter. Amounts are minor units of the statement's currency; null means not known on the
/// server (never a made-up zero). For a central-credit meter:
/// <c>Closing = Opening + TopUps + Other − (Energy + FixedCharges + Taxes + DebtRecovered)</c>, exactly.
/// </summary>
/// <param name="EnergyWh">Energy used that day (intervals starting that day).</param>
/// <param name="Energy">The day's energy by period; their <see cref="EnergyLine.Minor"/> add up to <paramref name="EnergyMinor"/>.</param>
/// <param name="TaxesMinor">Taxes added on top of the energy and fixed charges (taxes included in prices are inside them).</param>
/// <param name="DeductionsMinor">Everything taken from the balance that day: energy, fixed charges, taxes, debt.</param>
/// <param name="TopUpsMinor">Money added by top-ups (vends) that day.</param>
/// <param name="TopUpWh">Energy the day's top-ups bought (tokens or credit sent to the meter); null for central credit, which buys money.</param>
/// <param name="OtherMinor">Other movements of the balance (credit carried in at a switch, a reversed top-up), signed.</param>
/// <param name="EmergencyCreditActivations">Times the meter reported taking emergency credit that day.</param>
/// <param name="EmergencyCreditTakenMinor">Not known on the server for either model (meters report when, not how much): always null.</param>
/// <param name="EmergencyCreditRepaidMinor">Not known on the server: always null.</param>
public sealed record StatementDay(
    LocalDate Day,
    long EnergyWh,
    IReadOnlyList<EnergyLine> Energy,
    long? EnergyMinor,
    long? FixedChargesMinor,
    long? TaxesMinor,
    long? DebtRecoveredMinor,
    long? DeductionsMinor,
    long TopUpsMinor,
    int TopUpCount,
    long? TopUpWh,
    long? OtherMinor,
    int EmergencyCreditActivations,
    long? EmergencyCreditTakenMinor,
    long? EmergencyCreditRepaidMinor,
    long? OpeningBalanceMinor,
    long? ClosingBalanceMinor);

/// <summary>The kinds of a statement's lines, as a dispute names the line it is about.</summary>
public static class StatementLines
{
    public const string Energy = "energy";
    public const string FixedCharges = "fixed-charges";
    public const string Taxes = "taxes";
    public const string DebtRecovered = "debt-recovered";
    public const string TopUps = "top-ups";
    public const string EmergencyCredit = "emergency-credit";
    public const string Other = "other";
    public const string Balance = "balance";

    public static readonly IReadOnlyList<string> All = [Energy, FixedCharges, Taxes, DebtRecovered, TopUps, EmergencyCredit, Other, Balance];

    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);
}
