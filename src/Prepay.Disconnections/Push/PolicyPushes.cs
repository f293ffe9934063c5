using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Policy.Holidays;
using Prepay.Storage;
using Prepay.Storage.Cluster;
using Prepay.Storage.Records.Metering;

namespace Prepay.Disconnections.Push;

/// <summary>
/// Keeps every meter that cuts itself for lack of credit told the rules of the policy in force for it
/// (<see cref="MeterRules"/>): each round computes the command a meter should have and queues it when it differs from
/// the last one queued (a new version published or assigned, the household's protection changed, a new year's
/// holidays) or when the last one expired or was withdrawn unsent. One the meter refused is not sent again until
/// the rules change. Only meters that hold their own credit and whose transport carries the command (MQTT) are told; a round runs on one node at a
/// time (a job lease), in pages of meters.
/// </summary>
public sealed class PolicyPushes(IServiceScopeFactory scopes, DisconnectionCheck check, JobLeases leases, IClock clock, DisconnectionOptions options,
    CommandDispatcher dispatcher, ILogger<PolicyPushes> logger) : BackgroundService
{
    public const string JobName = "disconnections.policy-push";
    public const int PageSize = 200;

    private static readonly CommandState[] StillStands = [CommandState.Queued, CommandState.Sent, CommandState.Acknowledged, CommandState.Failed];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.PushInterval);
        do
        {
            try
            {
                if (await leases.TryHoldAsync(JobName, Duration.FromTimeSpan(options.PushInterval * 3), stoppingToken))
                {
                    await PushAllAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Pushing disconnection policies to meters failed; trying again next round");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round over every meter. Returns how many commands were queued.</summary>
    public async Task<int> PushAllAsync(CancellationToken ct)
    {
        var queued = 0;
        string? after = null;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var now = clock.GetCurrentInstant();
            var page = await db.Meters.AsNoTracking()
                .Where(m => m.Transport == MeterTransport.Mqtt && (after == null || string.Compare(m.MeterNumber, after) > 0))
                .OrderBy(m => m.MeterNumber).Select(m => new
                {
                    m.Id,
                    m.MeterNumber,
                    // A meter whose credit is held centrally does not cut itself: the server does, through the gate.
                    Model = db.MeterCreditModels.Where(c => c.MeterId == m.Id && c.EffectiveFrom <= now)
                        .OrderByDescending(c => c.EffectiveFrom).ThenByDescending(c => c.Id).Select(c => c.Model).FirstOrDefault(),
                }).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }
            after = page[^1].MeterNumber;
            foreach (var meter in page.Where(m => m.Model != Storage.Records.CentralCredit.MeterCreditModelRecord.Central))
            {
                var command = MeterRules.For(await check.SituationAsync(db, meter.Id, now, ct), now, HolidayCalendars.Shipped);
                string type, arguments;
                try
                {
                    (type, arguments) = StoredCommands.Write(command);
                }
                catch (ArgumentException e)
                {
                    // More windows or days than the command carries (MQTT v1's limits): the meter keeps what it has.
                    logger.LogWarning("The rules of policy {Policy} v{Version} cannot be told to meter {Meter}: {Problem}", command.PolicyCode, command.PolicyVersion, meter.MeterNumber, e.Message);
                    continue;
                }
                var last = await db.MeterCommands.AsNoTracking().Where(c => c.MeterId == meter.Id && c.Type == type)
                    .OrderByDescending(c => c.Seq).Select(c => new { c.Arguments, c.State }).FirstOrDefaultAsync(ct);
                if (last is not null && last.Arguments == arguments && StillStands.Contains(last.State))
                {
                    continue;
                }
                CommandQueue.Enqueue(db, meter.Id, meter.MeterNumber, command, now, $"policy: {command.PolicyCode} v{command.PolicyVersion}");
                queued++;
            }
            await db.SaveChangesAsync(ct);
        }
        if (queued > 0)
        {
            dispatcher.Wake();
        }
        return queued;
    }
}
