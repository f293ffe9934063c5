using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.MeterLink.Mqtt;
using Prepay.Policy.Decisions;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Policies;

namespace Prepay.Disconnections.Gate;

/// <summary>
/// Asks the policy again about each held disconnection once its retry instant has come (the end of the friendly
/// window, the holiday, the grace period). Allowed, its command is queued and the hold marked released; refused
/// again, it waits for the next allowed instant, or is refused for good when time alone will not allow it (the
/// customer registered as protected meanwhile). A hold whose meter was since told to connect is withdrawn instead.
/// Claimed with <c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL (the write lock on SQLite), so several servers may run
/// this and each hold is released once.
/// </summary>
public sealed class HeldDisconnections(IServiceScopeFactory scopes, DisconnectionCheck check, IClock clock, DisconnectionOptions options,
    CommandDispatcher dispatcher, ILogger<HeldDisconnections> logger) : BackgroundService
{
    public const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.ReleaseInterval);
        do
        {
            try
            {
                while (await ReleaseDueAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Releasing held disconnections failed; trying again");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round over the holds that are due. Returns how many were looked at.</summary>
    public async Task<int> ReleaseDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var released = 0;
        await using var tx = await db.BeginWriteAsync(ct);
        var ticks = now.ToUnixTimeTicks();
        var held = nameof(DecisionState.Held);
        var due = await (db.Provider == DatabaseProvider.Postgres
                ? db.DisconnectionDecisions.FromSql($"SELECT * FROM disconnection_decisions WHERE state = {held} AND retry_at <= {ticks} ORDER BY retry_at LIMIT 100 FOR UPDATE SKIP LOCKED")
                : db.DisconnectionDecisions.FromSql($"SELECT * FROM disconnection_decisions WHERE state = {held} AND retry_at <= {ticks} ORDER BY retry_at LIMIT 100"))
            .ToListAsync(ct);
        foreach (var hold in due)
        {
            if (await ConnectedSinceAsync(db, hold, ct))
            {
                hold.State = DecisionState.Withdrawn;
                hold.RetryAt = null;
                hold.Note = "withdrawn: the meter was told to connect after it was held";
                continue;
            }
            if (hold.CommandType is null || StoredCommands.Read(hold.CommandType, hold.CommandArguments ?? "{}", out var unreadable) is not { } command)
            {
                hold.State = DecisionState.Refused;
                hold.RetryAt = null;
                hold.Note = "refused: the held command cannot be read back";
                logger.LogError("Held disconnection {Decision} of meter {Meter} has no readable command; refused", hold.Id, hold.MeterNumber);
                continue;
            }
            // Every stored reason was written by ReasonNames; an unknown one (a row written by hand) counts as the API's.
            var reason = ReasonNames.TryParse(hold.Reason, out var stored) ? stored : DisconnectionReason.Api;
            var evaluation = await check.EvaluateAsync(db, hold.MeterId, now, reason, ct);
            switch (evaluation.Decision)
            {
                case DisconnectionDecision.Allow allow:
                    var queued = CommandQueue.Enqueue(db, hold.MeterId, hold.MeterNumber, command, now, hold.CommandReference);
                    hold.State = DecisionState.Released;
                    hold.RetryAt = null;
                    hold.CommandId = queued.Id;
                    hold.Note = DecisionLog.Clip($"released at {now}: {allow.Rule} under {allow.PolicyCode} v{allow.PolicyVersion}", 500);
                    released++;
                    break;
                case DisconnectionDecision.Deny { NextAllowedAt: { } next } deny:
                    hold.RetryAt = next;
                    hold.Note = DecisionLog.Clip($"still refused at {now} ({deny.Rule}); asked again at {next}", 500);
                    break;
                case DisconnectionDecision.Deny deny:
                    hold.State = DecisionState.Refused;
                    hold.RetryAt = null;
                    hold.Note = DecisionLog.Clip($"refused at {now} ({deny.Rule}): {deny.Sentence}", 500);
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (released > 0)
        {
            dispatcher.Wake();
        }
        return due.Count;
    }

    private static Task<bool> ConnectedSinceAsync(PrepayDb db, DisconnectionDecisionRecord hold, CancellationToken ct) =>
        db.MeterCommands.AsNoTracking().AnyAsync(c => c.MeterId == hold.MeterId && c.Type == CommandTypes.Connect && c.CreatedAt > hold.At, ct);
}
