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
/// </summary>
public sealed class CommandDispatcher(
    IServiceScopeFactory scopes,
    IMeterTransport transport,
    IClock clock,
    MqttOptions options,
    ILogger<CommandDispatcher> logger) : BackgroundService
{
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
        await using (var tx = await db.BeginWriteAsync(ct))
        {
            // Inside the claim's transaction: on SQLite a write outside the writers' queue finds the file locked by
            // a queued writer (every vend wakes a round) and Microsoft.Data.Sqlite sleeps on it before trying again.
            await db.MeterCommands
                .Where(c => (c.State == CommandState.Queued || c.State == CommandState.Sent) && c.ExpiresAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Expired), ct);
            var ticks = now.ToUnixTimeTicks();
            due = await (db.Provider == DatabaseProvider.Postgres
                    ? db.MeterCommands.FromSql($"SELECT * FROM meter_commands WHERE state IN ('Queued', 'Sent') AND next_attempt_at <= {ticks} AND expires_at > {ticks} ORDER BY next_attempt_at LIMIT 200 FOR UPDATE SKIP LOCKED")
                    : db.MeterCommands.FromSql($"SELECT * FROM meter_commands WHERE state IN ('Queued', 'Sent') AND next_attempt_at <= {ticks} AND expires_at > {ticks} ORDER BY next_attempt_at LIMIT 200"))
                .ToListAsync(ct);
            foreach (var c in due)
            {
                c.Attempts++;
                c.State = CommandState.Sent;
                c.SentAt = now;
                c.NextAttemptAt = now + RetryDelay(c.Attempts);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }

        foreach (var c in due)
        {
            var message = new CommandMessage(c.Id, c.Type, JsonDocument.Parse(c.Arguments).RootElement.Clone(),
                c.CreatedAt.ToDateTimeOffset(), c.ExpiresAt.ToDateTimeOffset());
            if (!await transport.SendAsync(c.MeterNumber, message, ct))
            {
                logger.LogWarning("Command {Command} for meter {Meter} not handed to the broker; it will be retried", c.Id, c.MeterNumber);
            }
        }
        return due.Count;
    }

    /// <summary>2, 4, 8 … seconds, at most <see cref="MqttOptions.MaxRetryDelay"/>.</summary>
    public Duration RetryDelay(int attempts) =>
        Duration.FromSeconds(Math.Min(options.MaxRetryDelay.TotalSeconds, Math.Pow(2, Math.Min(attempts, 20))));
}
