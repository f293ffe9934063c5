using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Balances;

/// <summary>A central-credit meter's balance as the ledger keeps it, today's deductions and the days it lasts.</summary>
/// <param name="TodayDeductionsMinor">What intervals starting today (the tariff's zone) were charged, corrections included.</param>
/// <param name="AverageDailyMinor">The last 7 whole local days' deductions, divided by 7 and rounded up.</param>
/// <param name="DaysLeft">Whole days the balance lasts at that average (rounded down); null with no consumption to go by.</param>
/// <param name="HandedOverAt">
/// The latest switch to central: the boundary at which the meter handed its register over and pricing began; null while
/// the meter has not yet (it still counts its own credit down; top-ups already go to the central balance).
/// </param>
/// <param name="CarriedInMinor">What that handover carried into the central balance.</param>
public sealed record CentralCreditStatement(
    string MeterNumber, string Model, string Currency, long BalanceMinor, LocalDate Today, string TimeZone,
    long TodayDeductionsMinor, long AverageDailyMinor, long? DaysLeft, bool Exhausted, Instant? LastPricedAt,
    Instant? HandedOverAt = null, long CarriedInMinor = 0);

public abstract record StatementOutcome
{
    private StatementOutcome()
    {
    }

    public sealed record Found(CentralCreditStatement Statement) : StatementOutcome;

    public sealed record MeterNotFound(string MeterNumber) : StatementOutcome;

    /// <summary>The meter has never held its credit centrally.</summary>
    public sealed record NotCentral(string MeterNumber) : StatementOutcome;

    public sealed record NoTariff(string MeterNumber) : StatementOutcome;
}

/// <summary>Reads a meter's <see cref="CentralCreditStatement"/>; nothing here writes.</summary>
public sealed class CentralCreditStatements(IServiceScopeFactory scopes, IClock clock, TariffCatalog tariffs)
{
    public async Task<StatementOutcome> ReadAsync(string meterNumber, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id, m.MeterNumber, m.Currency }).FirstOrDefaultAsync(ct);
        if (meter is null)
        {
            return new StatementOutcome.MeterNotFound(meterNumber);
        }
        var state = await db.CentralCreditStates.AsNoTracking().FirstOrDefaultAsync(s => s.MeterId == meter.Id, ct);
        var switched = await db.MeterCreditModels.AsNoTracking().Where(m => m.MeterId == meter.Id && m.Model == Storage.Records.CentralCredit.MeterCreditModelRecord.Central)
            .OrderByDescending(m => m.EffectiveFrom).FirstOrDefaultAsync(ct);
        if (state is null && switched is null)
        {
            return new StatementOutcome.NotCentral(meter.MeterNumber);
        }
        var now = clock.GetCurrentInstant();
        var tariff = await tariffs.ForMeterAsync(db, meter.Id, now, ct);
        if (tariff is null)
        {
            return new StatementOutcome.NoTariff(meter.MeterNumber);
        }
        var model = await Storage.Queries.CreditModels.AtAsync(db, meter.Id, now, ct);
        var balance = await LedgerStore.BalanceAsync(db, AccountCode.MeterCentralCredit(meter.Id, meter.Currency), ct);
        var today = tariff.LocalDateOf(now);
        var todayStart = tariff.TimeZone.AtStartOfDay(today).ToInstant();
        var weekStart = tariff.TimeZone.AtStartOfDay(today.PlusDays(-7)).ToInstant();
        var intervals = db.CentralCreditIntervals.AsNoTracking().Where(p => p.MeterId == meter.Id);
        var todayMinor = await intervals.Where(p => p.Start >= todayStart).SumAsync(p => p.ChargedMinor, ct);
        var weekMinor = await intervals.Where(p => p.Start >= weekStart && p.Start < todayStart).SumAsync(p => p.ChargedMinor, ct);
        var lastPriced = await intervals.OrderByDescending(p => p.PricedAt).Select(p => (Instant?)p.PricedAt).FirstOrDefaultAsync(ct);
        var average = (weekMinor + 6) / 7;
        long? daysLeft = average <= 0 ? null : Math.Max(0, balance) / average;
        return new StatementOutcome.Found(new CentralCreditStatement(
            meter.MeterNumber, model?.Model ?? "meter", meter.Currency, balance, today, tariff.TimeZone.Id,
            todayMinor, average, daysLeft, state?.Exhausted ?? false, lastPriced, switched?.HandedOverAt, switched?.CarriedInMinor ?? 0));
    }
}
