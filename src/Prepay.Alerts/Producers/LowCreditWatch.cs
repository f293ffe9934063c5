using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Outbox;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Storage.Cluster;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Producers;

/// <summary>
/// Customers' own low-credit thresholds, in money and in estimated days left, checked on an interval (the meter's
/// lowCredit event covers the meter's own threshold in Wh). Credit in money is estimated at the price of the
/// meter's last paid vend; days left from its usage by weekday and hour in its tariff's zone (<see cref="CreditEstimate"/>). A warning goes
/// to each enabled channel whose threshold is crossed, at most once per meter, channel and UTC day (the dedup key).
/// Then the disconnection policy's thresholds in percent of the last top-up (<see cref="TopUpShareAlerts"/>).
/// </summary>
public sealed class LowCreditWatch(
    IServiceScopeFactory scopes,
    AlertDispatcher dispatcher,
    IClock clock,
    AlertsOptions options,
    JobLeases leases,
    TopUpShareAlerts shares,
    IMeterZones zones,
    ILogger<LowCreditWatch> logger) : BackgroundService
{
    /// <summary>The job's lease (<see cref="JobLeases"/>).</summary>
    public const string JobName = "alerts.low-credit-watch";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.LowCreditCheckInterval, atStart: false, CheckOnceAsync, logger, stoppingToken);

    /// <summary>One pass over every customer with a threshold, then the policies' thresholds. Returns how many warnings were queued.</summary>
    public async Task<int> CheckOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var watched = await db.NotificationPreferences.AsNoTracking()
            .Where(p => p.Enabled && (p.LowCreditThresholdMinor != null || p.LowCreditDays != null)).ToListAsync(ct);
        var queued = 0;
        foreach (var customer in watched.GroupBy(p => p.CustomerId))
        {
            var contact = await db.Customers.AsNoTracking().Where(c => c.Id == customer.Key).Select(c => new { c.Email, c.Phone }).FirstOrDefaultAsync(ct);
            var meters = await (
                from p in db.Premises
                where p.CustomerId == customer.Key
                join i in db.MeterInstallations on p.Id equals i.PremisesId
                where i.RemovedAt == null
                join m in db.Meters on i.MeterId equals m.Id
                select new { m.Id, m.MeterNumber, m.Currency }).AsNoTracking().ToListAsync(ct);
            foreach (var meter in meters)
            {
                var credit = await CreditWhAsync(db, meter.Id, ct);
                if (credit is not { } wh)
                {
                    continue;
                }
                var money = await MoneyMinorAsync(db, meter.Id, wh, ct);
                var days = await CreditEstimate.DaysLeftAsync(db, meter.Id, await zones.ForMeterAsync(db, meter.Id, now, ct), now, ct);
                var rows = new List<NotificationRecord>();
                foreach (var p in customer)
                {
                    var crossed = (p.LowCreditThresholdMinor is { } t && money is { } m && m <= t) || (p.LowCreditDays is { } d && days is { } left && left <= d);
                    if (crossed && Outbox.Outbox.AddressOf(p, contact?.Email, contact?.Phone) is { } address)
                    {
                        rows.Add(Outbox.Outbox.ForChannel(Message(customer.Key, meter.Id, meter.MeterNumber, meter.Currency, money, days, now), p.Channel, address, now));
                    }
                }
                queued += await Outbox.Outbox.InsertAsync(db, rows, ct);
            }
        }
        queued += await shares.CheckAsync(db, now, ct);
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }

    private static AlertMessage Message(Guid customerId, Guid meterId, string meterNumber, string currency, long? moneyMinor, long? days, Instant now)
    {
        var amount = moneyMinor is { } m && Currency.TryFromCode(currency, out var cur) ? $"about {new Money(m, cur).ToDecimalString()} {currency}" : null;
        var time = days is { } d ? $"{CreditEstimate.Words(d)} at your recent use" : null;
        var left = string.Join(", ", new[] { amount, time }.Where(x => x is not null));
        var day = now.InUtc().Date;
        return new AlertMessage(AlertKinds.LowCredit, $"watch:{meterId:N}:{day:yyyy-MM-dd}", customerId,
            "Your electricity credit is low",
            $"Credit on meter {meterNumber} is low{(left.Length > 0 ? $": {left} left" : "")}. Top up to stay connected.",
            now,
            new Dictionary<string, object?> { ["meterNumber"] = meterNumber, ["creditMinor"] = moneyMinor, ["daysLeft"] = days });
    }

    /// <summary>The meter's credit as last reported: its status, else its latest reading.</summary>
    private static async Task<long?> CreditWhAsync(PrepayDb db, Guid meterId, CancellationToken ct) =>
        await db.MeterStatus.AsNoTracking().Where(s => s.MeterId == meterId).Select(s => s.CreditWh).FirstOrDefaultAsync(ct)
        ?? await db.Readings.AsNoTracking().Where(r => r.MeterId == meterId).OrderByDescending(r => r.At).Select(r => (long?)r.CreditWh).FirstOrDefaultAsync(ct);

    /// <summary>Credit in minor units at the price of the meter's last paid vend (what it cost per Wh then).</summary>
    private static async Task<long?> MoneyMinorAsync(PrepayDb db, Guid meterId, long creditWh, CancellationToken ct)
    {
        var last = await db.Vends.AsNoTracking().Where(v => v.MeterId == meterId && v.AmountMinor > 0 && v.EnergyWh > 0)
            .OrderByDescending(v => v.At).Select(v => new { v.AmountMinor, v.EnergyWh }).FirstOrDefaultAsync(ct);
        return last is null ? null : Math.Max(0, creditWh) * last.AmountMinor / last.EnergyWh;
    }
}
