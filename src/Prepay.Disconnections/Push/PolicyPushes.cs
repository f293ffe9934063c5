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
/// the rules change. The policy's emergency credit goes the same way, as the meter's own setting
/// (<see cref="EmergencyCreditSetting"/>). Only meters that hold their own credit and whose transport carries the command (MQTT) are told; a round runs on one node at a
/// time (a job lease), in pages of meters.
/// </summary>
public sealed class PolicyPushes(IServiceScopeFactory scopes, DisconnectionCheck check, JobLeases leases, IClock clock, DisconnectionOptions options,
    CommandDispatcher dispatcher, Vending.Pricing.TariffCatalog tariffs, ILogger<PolicyPushes> logger) : BackgroundService
{
    public const string JobName = "disconnections.policy-push";
    public const int PageSize = 200;

    private static readonly CommandState[] StillStands = [CommandState.Queued, CommandState.Sent, CommandState.Acknowledged, CommandState.Failed];

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        leases.RunPeriodicallyAsync(JobName, options.PushInterval, atStart: true, PushAllAsync, logger, stoppingToken);

    /// <summary>
    /// Queues <paramref name="command"/> unless the last of its type this job queued carries the same arguments and
    /// still stands.
    /// </summary>
    private async Task<bool> QueueIfChangedAsync(PrepayDb db, Guid meterId, string meterNumber, MeterLink.Commands.MeterCommand command, string reference, Instant now, CancellationToken ct)
    {
        string type, arguments;
        try
        {
            (type, arguments) = StoredCommands.Write(command);
        }
        catch (ArgumentException e)
        {
            // More windows or days than the command carries (MQTT v1's limits): the meter keeps what it has.
            logger.LogWarning("{Reference} cannot be told to meter {Meter}: {Problem}", reference, meterNumber, e.Message);
            return false;
        }
        // Its own earlier pushes only (every reference it gives starts so): an operator's thresholds are not this job's to compare with.
        var last = await db.MeterCommands.AsNoTracking().Where(c => c.MeterId == meterId && c.Type == type && c.Reference != null && c.Reference.StartsWith("policy: "))
            .OrderByDescending(c => c.Seq).Select(c => new { c.Arguments, c.State }).FirstOrDefaultAsync(ct);
        if (last is not null && last.Arguments == arguments && StillStands.Contains(last.State))
        {
            return false;
        }
        CommandQueue.Enqueue(db, meterId, meterNumber, command, now, reference);
        return true;
    }

    /// <summary>One round over every meter. Returns how many commands were queued.</summary>
    public async Task<int> PushAllAsync(CancellationToken ct)
    {
        var queued = 0;
        string? after = null;
        var settings = new Dictionary<(string, int, string?, int?, LocalDate?, long), MeterLink.Commands.SetThresholds?>();
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
                    m.ResolutionWh,
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
                var situation = await check.SituationAsync(db, meter.Id, now, ct);
                var rules = MeterRules.For(situation, now, HolidayCalendars.Shipped);
                if (await QueueIfChangedAsync(db, meter.Id, meter.MeterNumber, rules, $"policy: {rules.PolicyCode} v{rules.PolicyVersion}", now, ct))
                {
                    queued++;
                }
                var tariff = await tariffs.ForMeterAsync(db, meter.Id, now, ct);
                // Meters sharing a policy, a tariff, its local date and a resolution share the setting: priced once a round, not 24 quotes a meter.
                var key = (situation.Policy.Code, situation.Policy.Version, tariff?.Code, tariff?.Version, tariff?.LocalDateOf(now), meter.ResolutionWh);
                if (!settings.TryGetValue(key, out var setting))
                {
                    settings[key] = setting = EmergencyCreditSetting.For(situation.Policy, tariff, meter.ResolutionWh, now);
                }
                if (setting is { } emergency
                    && await QueueIfChangedAsync(db, meter.Id, meter.MeterNumber, emergency, EmergencyCreditSetting.Reference, now, ct))
                {
                    queued++;
                }
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
