using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Outbox;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Uplinks;
using Prepay.Storage;

namespace Prepay.Alerts.Producers;

/// <summary>
/// Listens to the head-end's stored events: a meter's low credit, credit exhausted, relay opened and closed become
/// messages for the customer of the premises it is installed at; abnormal voltage, overload, outage and tamper
/// become operator alerts. A re-sent event is not stored twice, so it does not come here twice; and the dedup key
/// (meter, type, instant) refuses a second message even if it did. The messages are queued in the transaction that
/// stores the events: both are kept, or neither.
/// </summary>
public sealed class MeterEventAlerts(
    MeterMessageHandler handler,
    AlertDispatcher dispatcher,
    IMeterZones zones,
    IClock clock) : IHostedLifecycleService
{
    // Subscribed before any hosted service starts, so no event stored by the head-end's first messages is missed.
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        handler.EventsStoring += QueueAsync;
        handler.EventsStored += WakeDispatcher;
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        handler.EventsStoring -= QueueAsync;
        handler.EventsStored -= WakeDispatcher;
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WakeDispatcher(Guid meterId, string meterNumber, IReadOnlyList<MeterEvent> events) => dispatcher.Wake();

    /// <summary>
    /// Queues the alerts for a meter's newly stored events on the head-end's context, inside the transaction that
    /// stores them: if queuing fails, the events are not stored either, and the meter's next delivery is new again.
    /// </summary>
    public async Task QueueAsync(PrepayDb db, Guid meterId, string meterNumber, IReadOnlyList<MeterEvent> events, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        foreach (var e in events)
        {
            var at = e.At;
            if (AlertKinds.Operator.Contains(e.Type))
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO operator_alerts (meter_id, meter_number, type, at, details, raised_at) VALUES ({meterId}, {meterNumber}, {e.Type}, {at.ToUnixTimeTicks()}, {e.Details}, {now.ToUnixTimeTicks()}) ON CONFLICT (meter_id, type, at) DO NOTHING", ct);
            }
            else if (AlertKinds.ForMeterEvent(e.Type) is { } kind && await MessageAsync(db, meterId, meterNumber, kind, e, at, ct) is { } message)
            {
                await Outbox.Outbox.InsertAsync(db, await Outbox.Outbox.AddressAsync(db, message, now, ct), ct);
            }
        }
    }

    private async Task<AlertMessage?> MessageAsync(PrepayDb db, Guid meterId, string meterNumber, string kind, MeterEvent e, Instant at, CancellationToken ct)
    {
        var place = await (
            from i in db.MeterInstallations
            where i.MeterId == meterId && i.RemovedAt == null
            join p in db.Premises on i.PremisesId equals p.Id
            join s in db.Sites on p.SiteId equals s.Id
            select new { p.CustomerId, Site = s.Name, Unit = p.Label }).AsNoTracking().FirstOrDefaultAsync(ct);
        if (place?.CustomerId is not { } customerId)
        {
            return null; // not installed, or nobody lives there: nobody to tell
        }
        var where = $"meter {meterNumber} ({place.Site}, {place.Unit})";
        // As seen at the event: the readings up to it, walked along the meter's weekdays and hours in its tariff's zone.
        var daysLeft = kind == AlertKinds.LowCredit ? await CreditEstimate.DaysLeftAsync(db, meterId, await zones.ForMeterAsync(db, meterId, at, ct), at, ct) : null;
        var (subject, text) = kind switch
        {
            AlertKinds.LowCredit => ("Your electricity credit is low",
                $"Credit on {where} is low{(daysLeft is { } d ? $": {CreditEstimate.Words(d)} left at your recent use" : "")}. Top up to stay connected."),
            AlertKinds.CreditExhausted => ("Your electricity credit has run out",
                $"Credit on {where} has run out. Top up to keep or restore your supply."),
            AlertKinds.Disconnected => ("Your electricity supply is disconnected",
                $"The supply to {where} was disconnected{(e.Details is { Length: > 0 } r ? $" ({r})" : "")}."),
            _ => ("Your electricity supply is reconnected", $"The supply to {where} is reconnected."),
        };
        return new AlertMessage(kind, $"event:{meterId:N}:{e.Type}:{at.ToUnixTimeTicks()}", customerId, subject, text, at,
            new Dictionary<string, object?>
            {
                ["meterNumber"] = meterNumber, ["event"] = e.Type, ["details"] = e.Details, ["daysLeft"] = daysLeft,
            });
    }
}
