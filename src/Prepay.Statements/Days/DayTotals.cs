using NodaTime;

namespace Prepay.Statements.Days;

/// <summary>One day's sums while a statement is read; <see cref="Day"/> turns them into the day's line.</summary>
internal sealed class DayTotals(LocalDate day)
{
    private readonly Dictionary<string, (long Wh, long Minor)> _energy = new(StringComparer.Ordinal);

    public LocalDate Date => day;
    public long EnergyWh { get; private set; }
    public long EnergyMinor { get; private set; }
    public long FixedChargesMinor { get; set; }
    public long TaxesMinor { get; set; }
    public long DebtRecoveredMinor { get; set; }
    public long TopUpsMinor { get; set; }
    public int TopUpCount { get; set; }
    public long TopUpWh { get; set; }
    public long OtherMinor { get; set; }
    public int EmergencyCreditActivations { get; set; }

    public long Deductions => EnergyMinor + FixedChargesMinor + TaxesMinor + DebtRecoveredMinor;

    /// <summary>What the balance moves by over the day (central credit).</summary>
    public long Net => TopUpsMinor + OtherMinor - Deductions;

    public void AddEnergy(string period, long wh, long minor)
    {
        var (w, m) = _energy.GetValueOrDefault(period);
        _energy[period] = (checked(w + wh), checked(m + minor));
        EnergyWh = checked(EnergyWh + wh);
        EnergyMinor = checked(EnergyMinor + minor);
    }

    /// <summary>The day's line: with money (central credit, <paramref name="opening"/> known) or energy and top-ups only.</summary>
    public StatementDay Day(bool money, long? opening)
    {
        var energy = _energy.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => new EnergyLine(e.Key, e.Value.Wh, money ? e.Value.Minor : null)).ToList();
        return new StatementDay(
            day, EnergyWh, energy,
            money ? EnergyMinor : null, money ? FixedChargesMinor : null, money ? TaxesMinor : null, money ? DebtRecoveredMinor : null,
            money ? Deductions : null,
            TopUpsMinor, TopUpCount, money ? null : TopUpWh, money ? OtherMinor : null,
            EmergencyCreditActivations, EmergencyCreditTakenMinor: null, EmergencyCreditRepaidMinor: null,
            opening, opening is { } o ? o + Net : null);
    }
}
