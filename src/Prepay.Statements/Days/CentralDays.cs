using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Records.CentralCredit;
using Prepay.Tariffs.Taxes;

namespace Prepay.Statements.Days;

/// <summary>
/// The days of a central-credit meter, exact to the minor unit against the ledger.
/// <list type="bullet">
/// <item>Deductions: each priced interval (<c>central_credit_intervals</c>) belongs to the local day its interval starts
/// in, whenever it was priced. Its charge, kept current by corrections, is itemised again: energy by period and the
/// taxes on it from the tariff version that priced it (<see cref="IntervalPricing.Price"/> at the block position it was
/// priced at, every day touched already charged, no debt: how a correction re-prices it), the fixed charges it took as
/// stored, their taxes, and the debt recovered as stored. The parts must add up to what was charged, or the read fails
/// loudly: a statement that disagrees with the ledger is a bug, not a figure to show.</item>
/// <item>Top-ups and other movements: the central account's postings in every transaction but consumption, on the local
/// day of the transaction (vends are top-ups; credit carried in at a switch and reversals are other).</item>
/// <item>Balances: the balance at a day's end is every movement belonging to that day or before: the consumption
/// postings total exactly the intervals' charges (one transaction per pricing round carries their sum), so the closing
/// balance is the other postings up to the day's end less the charges of intervals starting before it. It equals the
/// ledger's balance at that instant whenever the day's consumption was priced within it.</item>
/// </list>
/// </summary>
internal static class CentralDays
{
    public static async Task<MeterStatement> ReadAsync(PrepayDb db, StatementMeter meter, DateTimeZone zone, LocalDate from, LocalDate to, CancellationToken ct)
    {
        var start = zone.AtStartOfDay(from).ToInstant();
        var end = zone.AtStartOfDay(to.PlusDays(1)).ToInstant();
        var days = Days.Of(from, to);
        var currency = Currency.FromCode(meter.Currency);

        var versions = new TariffVersions(db);
        var intervals = await db.CentralCreditIntervals.AsNoTracking()
            .Where(p => p.MeterId == meter.Id && p.Start >= start && p.Start < end).OrderBy(p => p.Start).ToListAsync(ct);
        foreach (var interval in intervals)
        {
            await ItemiseAsync(versions, interval, currency, days[interval.Start.InZone(zone).Date], ct);
        }

        var account = AccountCode.MeterCentralCredit(meter.Id, meter.Currency);
        var accountId = await db.Accounts.AsNoTracking().Where(a => a.Code == account.Value).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct) ?? -1;
        var movements =
            from p in db.Postings.AsNoTracking()
            where p.DebitAccountId == accountId || p.CreditAccountId == accountId
            join t in db.LedgerTransactions.AsNoTracking() on p.TransactionId equals t.Id
            where t.Kind != TransactionKind.Consumption
            select new { t.At, t.Kind, Signed = p.CreditAccountId == accountId ? p.Amount : -p.Amount };
        foreach (var m in await movements.Where(m => m.At >= start && m.At < end).ToListAsync(ct))
        {
            var day = days[m.At.InZone(zone).Date];
            if (m.Kind == TransactionKind.Vend)
            {
                day.TopUpsMinor += m.Signed;
                day.TopUpCount++;
            }
            else
            {
                day.OtherMinor += m.Signed;
            }
        }
        await EmergencyCredit.CountAsync(db, meter.Id, zone, start, end, days, ct);

        // The balance at the range's start: every other posting before it, less every interval charged before it.
        var before = await movements.Where(m => m.At < start).SumAsync(m => m.Signed, ct)
            - await db.CentralCreditIntervals.AsNoTracking().Where(p => p.MeterId == meter.Id && p.Start < start).SumAsync(p => p.ChargedMinor, ct);
        var lines = new List<StatementDay>(days.Count);
        var opening = before;
        foreach (var day in days.Values)
        {
            var line = day.Day(money: true, opening);
            lines.Add(line);
            opening = line.ClosingBalanceMinor!.Value;
        }
        return new MeterStatement(meter.Number, "central", meter.Currency, zone.Id, lines,
        [
            "Your credit is held on our side: each interval your meter measures is priced with your tariff and taken from your balance.",
            "A deduction belongs to the day its energy was used, even when it was priced later; a day's closing balance counts it.",
            EmergencyCredit.Note,
        ]);
    }

    private static async Task ItemiseAsync(TariffVersions versions, PricedIntervalRecord p, Currency currency, DayTotals day, CancellationToken ct)
    {
        var tariff = await versions.GetAsync(p.TariffCode, p.TariffVersion, ct);
        var position = new PricingPosition(new Energy(p.MonthPositionWh), IntervalPricing.DaysTouched(tariff, p.Start, p.At).ToHashSet(), Money.Zero(currency), Money.Zero(currency));
        // The quality does not change a price; "valid" stands for whichever priced quality the reading had.
        var energy = IntervalPricing.Price(tariff, new IntervalToPrice(p.MeterId, p.Start, p.At, new Energy(p.Wh), ReadingQualities.Valid), position);
        foreach (var line in energy.EnergyLines)
        {
            day.AddEnergy(line.Label, line.Energy.WattHours, line.Cost.Minor);
        }
        var energyTaxes = energy.ExclusiveTaxes.Minor;
        long fixedCharges;
        long fixedTaxes;
        if (p.FixedChargesMinor is { } stored)
        {
            fixedCharges = stored;
            fixedTaxes = TaxCalculator.TaxesOn(tariff.Taxes, new Money(stored, currency)).Where(t => !t.Inclusive).Sum(t => t.Amount.Minor);
        }
        else
        {
            // Priced before fixed charges were kept: the rest of the charge is its fixed charges with their taxes.
            fixedCharges = p.ChargedMinor - p.DebtRecoveredMinor - energy.Energy.Minor - energyTaxes;
            fixedTaxes = 0;
        }
        var itemised = energy.Energy.Minor + energyTaxes + fixedCharges + fixedTaxes + p.DebtRecoveredMinor;
        if (itemised != p.ChargedMinor)
        {
            throw new InvalidOperationException($"Interval {p.Start}–{p.At} of meter {p.MeterId} was charged {p.ChargedMinor} but itemises to {itemised}.");
        }
        if (energy.EnergyLines.Count == 0 && p.Wh > 0)
        {
            throw new InvalidOperationException($"Interval {p.Start}–{p.At} of meter {p.MeterId} has energy but no energy line.");
        }
        day.FixedChargesMinor += fixedCharges;
        day.TaxesMinor += energyTaxes + fixedTaxes;
        day.DebtRecoveredMinor += p.DebtRecoveredMinor;
    }
}

/// <summary>The meter in a statement.</summary>
internal sealed record StatementMeter(Guid Id, string Number, string Currency);

/// <summary>The range's days, in order, each with its sums.</summary>
internal static class Days
{
    public static SortedDictionary<LocalDate, DayTotals> Of(LocalDate from, LocalDate to)
    {
        var days = new SortedDictionary<LocalDate, DayTotals>();
        for (var d = from; d <= to; d = d.PlusDays(1))
        {
            days[d] = new DayTotals(d);
        }
        return days;
    }
}
