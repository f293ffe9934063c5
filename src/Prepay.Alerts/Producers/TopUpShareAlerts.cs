using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Alerts.Outbox;
using Prepay.Storage;
using Prepay.Storage.Records;

namespace Prepay.Alerts.Producers;

/// <summary>
/// The alert thresholds of the household's disconnection policy, in percent of the credit the last top-up bought
/// ("alerts at 30 %, 10 % and 0 %", as UPPCL's rules ask). <c>Prepay.Disconnections</c> knows the policy in force and
/// registers it; with none registered no such alert is made.
/// </summary>
public interface IPolicyAlertThresholds
{
    /// <summary>Percentages of the last top-up, highest first; empty when the policy states none.</summary>
    Task<IReadOnlyList<int>> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct);
}

/// <summary>
/// For each installed meter holding its own credit whose customer has a channel: the credit it last reported as a share
/// of the energy its last credit sale bought, and the lowest policy threshold that share has reached, told once per
/// sale and threshold (the dedup key names both, so a meter that falls from 40 % to 5 % between checks hears "10 %"
/// once, and "0 %" once more when it runs out). Checked with the low-credit watch, under its lease.
/// </summary>
public sealed class TopUpShareAlerts(IPolicyAlertThresholds? thresholds = null)
{
    public async Task<int> CheckAsync(PrepayDb db, Instant now, CancellationToken ct)
    {
        if (thresholds is null)
        {
            return 0;
        }
        var meters = await (
            from i in db.MeterInstallations.AsNoTracking()
            where i.RemovedAt == null
            join p in db.Premises.AsNoTracking() on i.PremisesId equals p.Id
            where p.CustomerId != null && db.NotificationPreferences.Any(n => n.CustomerId == p.CustomerId && n.Enabled)
            join s in db.MeterStatus.AsNoTracking() on i.MeterId equals s.MeterId
            where s.CreditWh != null
            join m in db.Meters.AsNoTracking() on i.MeterId equals m.Id
            where !db.MeterCreditModels.Any(c => c.MeterId == m.Id)
                  || db.MeterCreditModels.Where(c => c.MeterId == m.Id && c.EffectiveFrom <= now).OrderByDescending(c => c.EffectiveFrom).Select(c => c.Model).FirstOrDefault() != "central"
            select new
            {
                m.Id,
                m.MeterNumber,
                CustomerId = p.CustomerId!.Value,
                CreditWh = s.CreditWh!.Value,
                LastSale = db.Vends.Where(v => v.MeterId == m.Id && v.Kind == VendKind.Credit && v.EnergyWh > 0 && !db.VendReversals.Any(r => r.VendId == v.Id))
                    .OrderByDescending(v => v.At).Select(v => new { v.Id, v.EnergyWh }).FirstOrDefault(),
            }).ToListAsync(ct);
        var queued = 0;
        foreach (var meter in meters.Where(m => m.LastSale is not null))
        {
            var percentLeft = Math.Max(0, meter.CreditWh) * 100 / meter.LastSale!.EnergyWh; // rounded down: warns no later than due
            if (percentLeft >= 100)
            {
                continue; // more left than the last top-up bought: no threshold of it is reached, no policy read
            }
            var reached = (await thresholds.ForMeterAsync(db, meter.Id, now, ct)).Where(t => percentLeft <= t).Order().ToList();
            if (reached is not [var lowest, ..])
            {
                continue;
            }
            var message = new AlertMessage(AlertKinds.LowCredit, $"share:{meter.LastSale.Id:N}:{lowest}", meter.CustomerId,
                lowest == 0 ? "Your electricity credit has run out" : "Your electricity credit is low",
                lowest == 0
                    ? $"Meter {meter.MeterNumber} has used all the credit of your last top-up. Top up to stay connected."
                    : $"Meter {meter.MeterNumber} has {lowest} % or less left of the credit your last top-up bought. Top up to stay connected.",
                now,
                new Dictionary<string, object?> { ["meterNumber"] = meter.MeterNumber, ["percentOfLastTopUp"] = lowest, ["creditWh"] = meter.CreditWh });
            queued += await Outbox.Outbox.InsertAsync(db, await Outbox.Outbox.AddressAsync(db, message, now, ct), ct);
        }
        return queued;
    }
}
