using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.HeadEnd.Mqtt;
using Prepay.HeadEnd.Protocol;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Sends due commands and sends them again, with exponential back-off, until each is acknowledged or expires.
/// Claiming is the database's job (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, the write lock on SQLite), so
/// several servers can dispatch from one queue without sending a command twice at once; and since a meter applies
/// a command id at most once, a resend after a lost acknowledgement is harmless.
/// A meter is sent only its lowest open command (queued or sent, by <see cref="MeterCommandRecord.Seq"/>): it refuses
/// any sequence number below the last it accepted, so it must never see n + 1 before n; the next one goes once the
/// earlier is acknowledged, failed or expired. Each is signed with the meter's command key as it is sent
/// (<see cref="CommandSignature"/>).
/// </summary>
public sealed class CommandDispatcher : BackgroundService
{
    private readonly IServiceScopeFactory scopes;
    private readonly IMeterTransport transport;
    private readonly CommandKeys keys;
    private readonly IClock clock;
    private readonly MqttOptions options;
    private readonly ILogger<CommandDispatcher> logger;

    public CommandDispatcher(IServiceScopeFactory scopes, IMeterTransport transport, CommandKeys keys, IClock clock, MqttOptions options,
        ILogger<CommandDispatcher> logger, Ingest.MeterMessageHandler? acknowledgements = null)
    {
        this.scopes = scopes;
        this.transport = transport;
        this.keys = keys;
        this.clock = clock;
        this.options = options;
        this.logger = logger;
        if (acknowledgements is not null)
        {
            acknowledgements.CommandClosed += Wake;
        }
    }

    /// <summary>Commands claimed per round (the LIMIT in the claim queries).</summary>
    public const int BatchSize = 200;
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>Asks for a dispatch round now (after a vend queued a command) instead of at the next interval.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchOnceAsync(stoppingToken) == BatchSize)
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Command dispatch failed; trying again");
            }
            await _wake.WaitAsync(options.DispatchInterval, stoppingToken);
        }
    }

    /// <summary>One round: expire what is too old, claim what is due, send it. Returns how many were sent.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        List<MeterCommandRecord> due;
        var messages = new List<(string Meter, CommandMessage Message)>();
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // Inside the claim's transaction: on SQLite a write outside the writers' queue finds the file locked by
            // a queued writer (every vend wakes a round) and Microsoft.Data.Sqlite sleeps on it before trying again.
            await db.MeterCommands
                .Where(c => (c.State == CommandState.Queued || c.State == CommandState.Sent) && c.ExpiresAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Expired), ct);
            var ticks = now.ToUnixTimeTicks();
            // Due, and the lowest open one of its meter (an earlier open command, due or waiting for its retry, holds it back).
            due = await (db.Provider == DatabaseProvider.Postgres
                    ? db.MeterCommands.FromSql($"SELECT * FROM meter_commands c WHERE c.state IN ('Queued', 'Sent') AND c.next_attempt_at <= {ticks} AND c.expires_at > {ticks} AND NOT EXISTS (SELECT 1 FROM meter_commands e WHERE e.meter_id = c.meter_id AND e.state IN ('Queued', 'Sent') AND e.seq < c.seq) ORDER BY c.next_attempt_at LIMIT 200 FOR UPDATE OF c SKIP LOCKED")
                    : db.MeterCommands.FromSql($"SELECT * FROM meter_commands c WHERE c.state IN ('Queued', 'Sent') AND c.next_attempt_at <= {ticks} AND c.expires_at > {ticks} AND NOT EXISTS (SELECT 1 FROM meter_commands e WHERE e.meter_id = c.meter_id AND e.state IN ('Queued', 'Sent') AND e.seq < c.seq) ORDER BY c.next_attempt_at LIMIT 200"))
                .ToListAsync(ct);
            foreach (var c in due)
            {
                if (Sealed(c) is { } message)
                {
                    c.Attempts++;
                    c.State = CommandState.Sent;
                    c.SentAt = now;
                    c.NextAttemptAt = now + RetryDelay(c.Attempts);
                    messages.Add((c.MeterNumber, message));
                }
                else
                {
                    // Only arguments with no canonical form get here (the API refuses them); sent unsigned, every meter would refuse it.
                    c.State = CommandState.Failed;
                    c.Outcome = "unsigned: its arguments have no canonical form";
                    logger.LogError("Command {Command} for meter {Meter} cannot be signed; failed", c.Id, c.MeterNumber);
                }
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        foreach (var (meter, message) in messages)
        {
            if (!await transport.SendAsync(meter, message, ct))
            {
                logger.LogWarning("Command {Command} for meter {Meter} not handed to the broker; it will be retried", message.CommandId, meter);
            }
        }
        return due.Count;
    }

    private CommandMessage? Sealed(MeterCommandRecord c) =>
        CommandSignature.Seal(keys.KeyFor(c.MeterNumber), c.MeterNumber, new CommandMessage(c.Id, c.Type,
            JsonDocument.Parse(c.Arguments).RootElement.Clone(), c.CreatedAt.ToDateTimeOffset(), c.ExpiresAt.ToDateTimeOffset(), c.Seq));

    /// <summary>2, 4, 8 … seconds, at most <see cref="MqttOptions.MaxRetryDelay"/>.</summary>
    public Duration RetryDelay(int attempts) =>
        Duration.FromSeconds(Math.Min(options.MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Min(attempts, 20))));
}
