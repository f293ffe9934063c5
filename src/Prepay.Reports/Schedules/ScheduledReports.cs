using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Prepay.Alerts.Dispatch;
using Prepay.Alerts.Outbox;
using Prepay.Reports.Tables;
using Prepay.Storage;
using Prepay.Storage.Cluster;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Reports.Schedules;

/// <summary>
/// Sends scheduled reports (issue 17, item 4): on the node holding the <see cref="JobName"/> lease, for each schedule
/// whose last whole period (<see cref="SchedulePeriod"/>, after <see cref="ReportsOptions.SendAfter"/> local time)
/// is not yet queued, runs the report and queues one email per recipient with the CSV attached in the alerts
/// outbox, and notes the period on the schedule, in one transaction: the dispatcher sends after commit, a crash
/// before it queues the period again on the next round, and each email's dedup key (schedule, period, address)
/// keeps a second round from queueing it twice.
/// </summary>
public sealed class ScheduledReports(
    IServiceScopeFactory scopes,
    IClock clock,
    ReportCatalogue catalogue,
    AlertDispatcher dispatcher,
    JobLeases leases,
    ReportsOptions options,
    ILogger<ScheduledReports> logger) : BackgroundService
{
    public const string JobName = "reports.schedules";

    public const string Kind = "scheduledReport";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.ScheduleInterval, atStart: false, RunOnceAsync, logger, stoppingToken);

    /// <summary>One round over every schedule. Returns how many emails were queued (0 when every period was already).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var after = LocalTime.FromTicksSinceMidnight(options.SendAfter.Ticks);
        var queued = 0;
        foreach (var schedule in await db.ReportSchedules.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct))
        {
            var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(schedule.Zone) ?? DateTimeZone.Utc;
            var period = SchedulePeriod.Last(schedule.Cadence, now.InZone(zone).LocalDateTime, after);
            if (schedule.LastPeriod == period.Key || catalogue.Find(schedule.Report) is not { } report)
            {
                continue;
            }
            var table = await report.RunAsync(new ReportRequest(period.From, period.To, zone, schedule.GroupBy), ct);
            var file = new NotificationAttachment { FileName = ReportCsv.FileName(table), ContentType = ReportCsv.ContentType, Content = ReportCsv.Write(table) };
            var subject = $"{table.Title}, {Describe(period)}";
            var body = $"""
                {table.Title} for {Describe(period)} ({schedule.Zone}): {table.Rows.Count} rows, in the attached {file.FileName}.

                Sent by Prepay's report schedule {schedule.Id} ({schedule.Cadence}). Staff can change or delete it in the console's reports page.
                """;
            // One transaction on both providers: the emails, their files and the period noted, or none of them.
            await using (var tx = await db.BeginWriteAsync(ct))
            {
                foreach (var address in schedule.Recipients.Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    var row = Outbox.Email(Kind, $"report:{schedule.Id:N}:{period.Key}:{address.ToLowerInvariant()}", address, subject, body, now);
                    queued += await Outbox.InsertWithAttachmentAsync(db, row, new NotificationAttachment { NotificationId = row.Id, FileName = file.FileName, ContentType = file.ContentType, Content = file.Content }, ct);
                }
                await db.ReportSchedules.Where(s => s.Id == schedule.Id)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastPeriod, period.Key).SetProperty(s => s.LastQueuedAt, now), ct);
                await tx.CommitAsync(ct);
            }
            logger.LogInformation("Report schedule {Schedule}: {Report} for {Period} queued", schedule.Id, schedule.Report, period.Key);
        }
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }

    private static string Describe(SchedulePeriod period) => period.From == period.To
        ? LocalDatePattern.Iso.Format(period.From)
        : string.Create(CultureInfo.InvariantCulture, $"{LocalDatePattern.Iso.Format(period.From)} to {LocalDatePattern.Iso.Format(period.To)}");
}
