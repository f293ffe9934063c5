using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Prepay.Storage;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Wakes the other nodes' <see cref="CommandDispatcher"/>s when this one queues commands, and this one's when they do,
/// on PostgreSQL: <see cref="CommandDispatcher.Wake"/> (called after the commit that queued them) makes this service
/// send <c>pg_notify</c> on <see cref="Channel"/> from a connection of the pool, outside any transaction; one
/// connection of its own LISTENs there and calls <see cref="CommandDispatcher.WakeHere"/> on every notification. A
/// vend on another node, or a command for a meter whose transport runs elsewhere, reaches the meter at once instead of
/// at the next poll.
/// <para>
/// Not a trigger on <c>meter_commands</c>: PostgreSQL serialises the commits of transactions that notified (a lock
/// held until the commit is flushed, and with synchronous replication until the standby has it), so every vend of a
/// smart meter would have queued behind the last one's flush. Sent after the commit, a notification holds nothing,
/// and wakes that come while one is being sent are sent as one.
/// </para>
/// <para>
/// The listening connection is unpooled and made from <see cref="StorageOptions.ResolveListenConnectionString"/>:
/// behind pgbouncer in transaction mode LISTEN needs a direct connection to the server
/// (<c>Storage:ListenConnectionString</c>); a notification is sent through the pool like any statement. When the
/// listening connection drops it is made again after <see cref="ReconnectDelay"/>, and a wake after every LISTEN
/// covers what was queued while none was held. The dispatcher's poll (<c>Mqtt:DispatchInterval</c>) stays the safety
/// net. On SQLite (one node) this does nothing: every command there is queued by this process, which wakes it itself.
/// </para>
/// </summary>
public sealed class CommandNotifications : BackgroundService
{
    /// <summary>The channel nodes notify when they have queued commands.</summary>
    public const string Channel = "prepay_commands";

    private readonly StorageOptions storage;
    private readonly CommandDispatcher dispatcher;
    private readonly ILogger<CommandNotifications> logger;
    private readonly SemaphoreSlim _announce = new(0);

    public CommandNotifications(StorageOptions storage, CommandDispatcher dispatcher, ILogger<CommandNotifications> logger)
    {
        this.storage = storage;
        this.dispatcher = dispatcher;
        this.logger = logger;
        if (storage.Provider == DatabaseProvider.Postgres)
        {
            dispatcher.CommandsQueued += Announce;
        }
    }

    /// <summary>
    /// Tells every node listening on <see cref="Channel"/> (this one too) that commands are queued: one statement,
    /// outside any transaction. What another node does through its own service; public for the tests that play one.
    /// </summary>
    public static async Task NotifyAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', '')", connection);
        await notify.ExecuteNonQueryAsync(ct);
    }

    private long _announced;

    /// <summary>Notifications this node has sent since start (tests wait for one).</summary>
    public long Announced => Interlocked.Read(ref _announced);

    private void Announce()
    {
        if (_announce.CurrentCount == 0)
        {
            _announce.Release();
        }
    }

    /// <summary>How the listener's connection names itself to the server (<c>pg_stat_activity.application_name</c>).</summary>
    public const string ApplicationName = "prepay-command-listener";

    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private long _listens;

    /// <summary>How many times a connection has started listening since start (tests wait for a reconnection).</summary>
    public long Listens => Interlocked.Read(ref _listens);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (storage.Provider != DatabaseProvider.Postgres)
        {
            return;
        }
        var builder = new NpgsqlConnectionStringBuilder(storage.ResolveListenConnectionString())
        {
            // LISTEN is session state: the connection must never go back to a pool and on to another user.
            Pooling = false,
            ApplicationName = ApplicationName,
        };
        if (builder.KeepAlive == 0)
        {
            // A connection that died without a word (a network cut) is noticed by the keepalive's query failing.
            builder.KeepAlive = 30;
        }
        await Task.WhenAll(ListenLoopAsync(builder.ConnectionString, stoppingToken), AnnounceLoopAsync(stoppingToken));
    }

    /// <summary>
    /// Where notifications are sent from: the pool the node's contexts use (<see cref="StorageRegistration.WithPoolSettings"/>),
    /// whose connections reset nothing when used again. A reset (DISCARD ALL) through pgbouncer in transaction mode
    /// would run on whichever server connection it hands out, dropping other clients' temporary tables there.
    /// </summary>
    public static string AnnounceConnectionString(StorageOptions storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return StorageRegistration.WithPoolSettings(storage.ResolveConnectionString());
    }

    private async Task AnnounceLoopAsync(CancellationToken stoppingToken)
    {
        var connectionString = AnnounceConnectionString(storage);
        try
        {
            while (true)
            {
                await _announce.WaitAsync(stoppingToken);
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(stoppingToken);
                    await NotifyAsync(connection, stoppingToken);
                    Interlocked.Increment(ref _announced);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException)
                {
                    // The other nodes find the commands at their next poll; the commands themselves are committed.
                    logger.LogWarning("Telling the other nodes of new commands failed ({Message}); they find them at their next poll", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ListenLoopAsync(string connectionString, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(connectionString, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Listening for new commands failed ({Message}); connecting again in {Delay} s, polling meanwhile", e.Message, ReconnectDelay.TotalSeconds);
            }
            await Task.Delay(ReconnectDelay, stoppingToken);
        }
    }

    private async Task ListenAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        connection.Notification += (_, _) => dispatcher.WakeHere();
        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        Interlocked.Increment(ref _listens);
        // Anything queued while no connection listened (before this one, or between a drop and now) is due now.
        dispatcher.WakeHere();
        while (true)
        {
            await connection.WaitAsync(ct);
        }
    }
}
