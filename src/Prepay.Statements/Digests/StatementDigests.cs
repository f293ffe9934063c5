using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Outbox;
using Prepay.Statements.Days;
using Prepay.Storage;
using Prepay.Storage.Cluster;
using Prepay.Storage.Queries;
using Prepay.Storage.Records.Alerts;
using Prepay.Vending.Pricing;

namespace Prepay.Statements.Digests;

/// <summary>
/// Queues each opted-in customer's digest of their last whole period (<see cref="DigestPeriod"/>) in the alerts
/// outbox, by email and SMS where their alert settings send (push and webhooks carry no digest). Runs on the node
/// holding the job's lease (<see cref="JobLeases"/>); a digest's dedup key names the customer and the period, so a
/// second run, on this node or another after a lease changed hands, queues nothing new: one digest per customer,
/// period and channel. Periods are counted in the zone of the tariff of the customer's first meter.
/// </summary>
public sealed class StatementDigests(
    IServiceScopeFactory scopes,
    IClock clock,
    CustomerStatements statements,
    TariffCatalog tariffs,
    AlertDispatcher dispatcher,
    JobLeases leases,
    StatementsOptions options,
    ILogger<StatementDigests> logger) : BackgroundService
{
    public const string JobName = "statements.digests";
    public const string Kind = "statementDigest";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.DigestInterval, atStart: false, RunOnceAsync, logger, stoppingToken);

    /// <summary>One pass over every opted-in customer. Returns how many outbox rows were queued (0 when all were already).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var after = LocalTime.FromTicksSinceMidnight(options.DigestAfter.Ticks);
        var queued = 0;
        foreach (var subscription in await db.StatementDigests.AsNoTracking().OrderBy(d => d.CustomerId).ToListAsync(ct))
        {
            var customer = subscription.CustomerId;
            var firstMeter = await MeterPlacements.Current(db).Where(p => p.CustomerId == customer).OrderBy(p => p.Meter.MeterNumber)
                .Select(p => (Guid?)p.Meter.Id).FirstOrDefaultAsync(ct);
            if (firstMeter is not { } meterId)
            {
                continue;
            }
            var zone = (await tariffs.ForMeterAsync(db, meterId, now, ct))?.TimeZone ?? DateTimeZone.Utc;
            var period = DigestPeriod.Last(subscription.Frequency, now.InZone(zone).LocalDateTime, after);
            if (await statements.ReadAsync(new StatementRequest(customer, period.From, period.To), ct) is not StatementOutcome.Found found)
            {
                continue;
            }
            var (subject, text) = DigestText.For(found.Statement, period);
            var message = new AlertMessage(Kind, $"digest:{customer:N}:{period.Key}", customer, subject, text, now,
                new Dictionary<string, object?> { ["from"] = period.From.ToString(), ["to"] = period.To.ToString() });
            var rows = (await Outbox.RecipientsAsync(db, customer, ct))
                .Where(r => r.Channel is NotificationChannel.Email or NotificationChannel.Sms)
                .Select(r => Outbox.ForChannel(message, r.Channel, r.Address, now));
            queued += await Outbox.InsertAsync(db, rows, ct);
        }
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }
}
