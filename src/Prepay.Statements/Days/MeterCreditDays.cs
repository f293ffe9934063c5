using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.CentralCredit.Pricing;
using Prepay.Domain.Energy;
using Prepay.Storage;
using Prepay.Tariffs.Documents;
using Prepay.Tariffs.TimeOfUse;
using Prepay.Vending.Pricing;

namespace Prepay.Statements.Days;

/// <summary>
/// The days of a meter that holds its own credit: the meter takes it as energy is used, so the server knows the
/// energy (from the readings) and the top-ups (vends: tokens or credit sent), not money deductions or balances.
/// Energy is split by the time-of-use periods of the tariff in force at each interval's start (the same split that
/// prices central credit), else shown as one line.
/// </summary>
internal static class MeterCreditDays
{
    public static async Task<MeterStatement> ReadAsync(PrepayDb db, TariffCatalog tariffs, Duration intervalLength, StatementMeter meter, Guid customerId,
        DateTimeZone zone, LocalDate from, LocalDate to, CancellationToken ct)
    {
        var start = zone.AtStartOfDay(from).ToInstant();
        var end = zone.AtStartOfDay(to.PlusDays(1)).ToInstant();
        var days = Days.Of(from, to);

        // Readings are stamped at their interval's end: those starting in the range end in (start, end + one interval].
        var readings = await db.Readings.AsNoTracking()
            .Where(r => r.MeterId == meter.Id && r.At > start && r.At <= end + intervalLength)
            .Select(r => new { r.At, r.DeltaWh, r.Quality }).OrderBy(r => r.At).ToListAsync(ct);
        foreach (var r in readings.Where(r => ReadingQualities.IsPriced(r.Quality) && r.DeltaWh > 0))
        {
            var intervalStart = r.At - intervalLength;
            if (intervalStart < start || intervalStart >= end)
            {
                continue;
            }
            var day = days[intervalStart.InZone(zone).Date];
            var tariff = await tariffs.ForMeterAsync(db, meter.Id, intervalStart, ct);
            foreach (var (period, wh) in Periods(tariff, intervalStart, r.At, r.DeltaWh))
            {
                day.AddEnergy(period, wh, 0);
            }
        }

        var vends = await db.Vends.AsNoTracking()
            .Where(v => v.MeterId == meter.Id && v.CustomerId == customerId && v.At >= start && v.At < end && !db.VendReversals.Any(x => x.VendId == v.Id))
            .Select(v => new { v.At, v.AmountMinor, v.EnergyWh }).ToListAsync(ct);
        foreach (var v in vends)
        {
            var day = days[v.At.InZone(zone).Date];
            day.TopUpsMinor += v.AmountMinor;
            day.TopUpWh += v.EnergyWh;
            day.TopUpCount++;
        }
        await EmergencyCredit.CountAsync(db, meter.Id, zone, start, end, days, ct);
        return new MeterStatement(meter.Number, "meter", meter.Currency, zone.Id, [.. days.Values.Select(d => d.Day(money: false, opening: null))],
        [
            "Your credit is held in your meter, which takes it as you use energy: we show your top-ups and the energy your meter measured, not money deductions or balances.",
            EmergencyCredit.Note,
        ]);
    }

    private static IEnumerable<(string Period, long Wh)> Periods(TariffDocument? tariff, Instant start, Instant end, long wh) =>
        tariff?.Energy is TimeOfUseCharge && tariff.IsEffectiveAt(start)
            ? TouPricing.Split(tariff, start, end, new Energy(wh)).Where(s => s.Energy.WattHours > 0).Select(s => ($"{s.Season} {s.Period}", s.Energy.WattHours))
            : [("Energy", wh)];
}
