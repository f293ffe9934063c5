using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.CentralCredit.Posting;
using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Tariffs.Documents;

namespace Prepay.CentralCredit.Worker;

/// <summary>
/// One meter's pricing position inside a batch, read once under the meter's claim and then kept in step with what the
/// batch prices: the energy priced per month, the days charged, the debt owed and recovered per month.
/// </summary>
internal sealed class MeterBook(Guid meterId, string meterNumber, Currency currency, Guid? customerId)
{
    private readonly Dictionary<string, long> _monthWh = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _monthDebt = new(StringComparer.Ordinal);
    private HashSet<LocalDate>? _days;
    private long? _debtOutstanding;

    public Guid MeterId => meterId;
    public string MeterNumber => meterNumber;
    public Guid? CustomerId => customerId;
    public ChargeTotals Totals { get; } = new(meterId, currency);

    public async Task<PricingPosition> PositionAsync(PrepayDb db, TariffDocument tariff, string month, LocalDate firstDay, CancellationToken ct)
    {
        if (!_monthWh.TryGetValue(month, out var wh))
        {
            var sums = await db.CentralCreditIntervals.Where(p => p.MeterId == meterId && p.Month == month).GroupBy(p => p.MeterId)
                .Select(g => new { Wh = g.Sum(p => p.Wh), Debt = g.Sum(p => p.DebtRecoveredMinor) }).FirstOrDefaultAsync(ct);
            wh = sums?.Wh ?? 0;
            _monthWh[month] = wh;
            _monthDebt[month] = sums?.Debt ?? 0;
        }
        // The month's days (and the next month's first, which an interval ending at midnight can't touch but one across it can).
        var from = firstDay.With(DateAdjusters.StartOfMonth);
        _days ??= (await db.CentralCreditDays.AsNoTracking().Where(d => d.MeterId == meterId && d.Day >= from).Select(d => d.Day).ToListAsync(ct)).ToHashSet();
        if (tariff.DebtRecovery is not null && _debtOutstanding is null)
        {
            var balance = customerId is { } c ? await Storage.Ledger.LedgerStore.BalanceAsync(db, AccountCode.CustomerDebt(c, currency.Code), ct) : 0;
            _debtOutstanding = Math.Max(0, -balance);
        }
        return new PricingPosition(new Energy(wh), _days, new Money(_debtOutstanding ?? 0, currency), new Money(_monthDebt[month], currency));
    }

    /// <summary>Records what an interval was charged in the book, so the next interval of the batch sees it.</summary>
    public void Priced(PrepayDb db, string month, IntervalCharges charges)
    {
        _monthWh[month] += charges.EnergyPriced.WattHours;
        _monthDebt[month] += charges.DebtRecovered.Minor;
        if (_debtOutstanding is { } owed)
        {
            _debtOutstanding = owed - charges.DebtRecovered.Minor;
        }
        foreach (var day in charges.DaysCharged)
        {
            _days!.Add(day);
            db.CentralCreditDays.Add(new ChargedDayRecord { MeterId = meterId, Day = day });
        }
        Totals.Add(charges, customerId);
    }
}
