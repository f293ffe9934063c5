using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Prepay.Alerts.Channels;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Dispatch;

/// <summary>
/// Sends due notifications from the outbox and sends them again, with exponential back-off, until each is
/// delivered or has used its attempts (then it is marked failed and kept for operators).
/// <para>
/// A round claims due rows in a short write transaction (<c>FOR UPDATE SKIP LOCKED</c> on PostgreSQL, the write
/// lock on SQLite), counting the attempt and moving <c>next_attempt_at</c> a lease ahead, so another server does not
/// take them meanwhile; then it sends each and marks it. A server that dies after claiming leaves its rows to be
/// sent after the lease. One that dies after sending and before marking causes one resend: delivery is at least
/// once, and receivers drop the duplicate by the notification id every channel carries.
/// </para>
/// </summary>
public sealed class AlertDispatcher(
    IServiceScopeFactory scopes,
    IEnumerable<INotificationChannel> channels,
    IClock clock,
    AlertsOptions options,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Dictionary<NotificationChannel, INotificationChannel> _channels = channels.ToDictionary(c => c.Channel);

    /// <summary>Asks for a round now (after something queued a message) instead of at the next poll.</summary>
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
                while (await DispatchOnceAsync(stoppingToken) == options.BatchSize)
                {
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Alert dispatch failed; trying again");
            }
            try
            {
                await _wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: what is claimed and not sent is sent after its lease, here or elsewhere
            }
        }
    }

    /// <summary>One round: claim what is due, send it, mark it. Returns how many were claimed.</summary>
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var claimedAt = clock.GetCurrentInstant();
        var due = await ClaimAsync(db, claimedAt, ct);
        // Rows are ours until the lease ends; one whose send could outlast it is left for the next claim rather than
        // risk another server sending it at the same time.
        var lastStart = claimedAt + Duration.FromTimeSpan(options.ClaimLease - options.SendTimeout);
        foreach (var n in due)
        {
            if (clock.GetCurrentInstant() > lastStart)
            {
                break;
            }
            SendResult result;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(options.SendTimeout);
                result = _channels.TryGetValue(n.Channel, out var channel)
                    ? await channel.SendAsync(n, db, timeout.Token)
                    : SendResult.Failed($"no {n.Channel} channel", permanent: true);
            }
            var now = clock.GetCurrentInstant();
            if (result.Delivered)
            {
                n.State = NotificationState.Sent;
                n.SentAt = now;
                n.LastError = null;
            }
            else if (result.Permanent || n.Attempts >= options.MaxAttempts)
            {
                n.State = NotificationState.Failed;
                n.LastError = result.Error;
                LogFailure(n, result);
            }
            else
            {
                n.NextAttemptAt = now + RetryDelay(n.Attempts);
                n.LastError = result.Error;
            }
            if (n.Channel == NotificationChannel.Webhook && result.SubscriptionId is { } subscription)
            {
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    SubscriptionId = subscription, NotificationId = n.Id, Kind = n.Kind, Attempt = n.Attempts,
                    StatusCode = result.StatusCode, Succeeded = result.Delivered, At = now, Error = result.Error,
                });
            }
            // Marked one by one: a crash part-way through a batch resends at most the one in flight.
            await MarkAsync(db, n, ct);
        }
        return due.Count;
    }

    /// <summary>
    /// Stores what became of a notification. It has gone out (or not) already, so a mark lost to a database that is
    /// away for a moment (a failover, a restart) would have it sent again once its lease ends: the mark is tried again
    /// with back-off while the database is unavailable, for up to half the claim's lease, before the round gives up.
    /// </summary>
    private async Task MarkAsync(PrepayDb db, NotificationRecord n, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        for (var failures = 1; ; failures++)
        {
            try
            {
                await db.SaveChangesAsync(CancellationToken.None);
                return;
            }
            catch (Exception e) when (WriteTransactions.IsUnavailable(e) && waited < options.ClaimLease / 2)
            {
                if (failures == 1)
                {
                    logger.LogWarning("Marking notification {Id} as {State} waits for the database ({Message})", n.Id, n.State, e.Message);
                }
                var delay = WriteTransactions.UnavailableRetryDelay(failures);
                await Task.Delay(delay, ct);
                waited += delay;
            }
        }
    }

    /// <summary>
    /// A final answer (no such address, a channel not configured) is the receiver's business, not an incident, and the
    /// same answer comes for every notification of its kind: said once per channel and answer, at information level,
    /// then only at debug (a server without email would otherwise log a line per receipt). Running out of attempts
    /// is a warning every time.
    /// </summary>
    private void LogFailure(NotificationRecord n, SendResult result)
    {
        if (!result.Permanent)
        {
            logger.LogWarning("Notification {Id} ({Channel}, {Kind}) failed after {Attempts} attempts: {Error}", n.Id, n.Channel, n.Kind, n.Attempts, result.Error);
        }
        else if (_permanentSaid.TryAdd($"{n.Channel}\n{result.Error}", 0))
        {
            logger.LogInformation("Notification {Id} ({Channel}, {Kind}) failed: {Error}; later {Channel} notifications failing the same way are marked failed without a line here",
                n.Id, n.Channel, n.Kind, result.Error, n.Channel);
        }
        else
        {
            logger.LogDebug("Notification {Id} ({Channel}, {Kind}) failed: {Error}", n.Id, n.Channel, n.Kind, result.Error);
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _permanentSaid = new(StringComparer.Ordinal);

    /// <summary>
    /// One statement claims a batch: it counts the attempt and moves <c>next_attempt_at</c> to the lease's end, so
    /// no other round or server takes the same rows. On PostgreSQL the rows are picked <c>FOR UPDATE SKIP LOCKED</c>
    /// (servers claiming at once take different rows); on SQLite the statement runs under the database's write lock.
    /// </summary>
    private async Task<List<NotificationRecord>> ClaimAsync(PrepayDb db, Instant now, CancellationToken ct)
    {
        // Idle rounds only read: no write lock is taken unless something is due.
        if (!await db.Notifications.AnyAsync(n => n.State == NotificationState.Pending && n.NextAttemptAt <= now, ct))
        {
            return [];
        }
        var ticks = now.ToUnixTimeTicks();
        var lease = (now + Duration.FromTimeSpan(options.ClaimLease)).ToUnixTimeTicks();
        var limit = options.BatchSize;
        return await db.QueuedAsync(() => (db.Provider == DatabaseProvider.Postgres
                ? db.Notifications.FromSql($"UPDATE notifications SET attempts = attempts + 1, next_attempt_at = {lease} WHERE id IN (SELECT id FROM notifications WHERE state = 'Pending' AND next_attempt_at <= {ticks} ORDER BY next_attempt_at LIMIT {limit} FOR UPDATE SKIP LOCKED) RETURNING *")
                : db.Notifications.FromSql($"UPDATE notifications SET attempts = attempts + 1, next_attempt_at = {lease} WHERE id IN (SELECT id FROM notifications WHERE state = 'Pending' AND next_attempt_at <= {ticks} ORDER BY next_attempt_at LIMIT {limit}) RETURNING *"))
            .AsTracking().ToListAsync(ct), ct);
    }

    /// <summary>First delay after the first failure, doubled after each further one, at most the maximum.</summary>
    public Duration RetryDelay(int attempts)
    {
        var seconds = options.FirstRetryDelay.TotalSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return Duration.FromSeconds(Math.Min(options.MaxRetryDelay.TotalSeconds, seconds));
    }
}
