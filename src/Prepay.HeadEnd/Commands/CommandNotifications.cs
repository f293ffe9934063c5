using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Prepay.Storage;

namespace Prepay.HeadEnd.Commands;

/// <summary>
/// Wakes this node's <see cref="CommandDispatcher"/> when any node queues a command, on PostgreSQL: a trigger on
/// <c>meter_commands</c> notifies <see cref="Channel"/> once per inserting statement (delivered at its commit), and this
/// service holds one connection of its own that LISTENs there and calls <see cref="CommandDispatcher.Wake"/> on every
/// notification. A vend on another node reaches the meter at once instead of at the next poll.
/// <para>
/// The connection is unpooled and made from <see cref="StorageOptions.ResolveListenConnectionString"/>: behind
/// pgbouncer in transaction mode LISTEN needs a direct connection to the server (<c>Storage:ListenConnectionString</c>).
/// When the connection drops it is made again after <see cref="ReconnectDelay"/>, and a wake after every LISTEN covers
/// what was queued while none was held. The dispatcher's poll (<c>Mqtt:DispatchInterval</c>) stays the safety net.
/// On SQLite (one node) this does nothing: every command there is queued by this process, which wakes it itself.
/// </para>
/// </summary>
public sealed class CommandNotifications(StorageOptions storage, CommandDispatcher dispatcher, ILogger<CommandNotifications> logger) : BackgroundService
{
    /// <summary>The channel the trigger notifies (migration <c>CommandNotify</c>).</summary>
    public const string Channel = "prepay_commands";

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
        var connectionString = builder.ConnectionString;
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
        connection.Notification += (_, _) => dispatcher.Wake();
        await connection.OpenAsync(ct);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(ct);
        }
        Interlocked.Increment(ref _listens);
        // Anything queued while no connection listened (before this one, or between a drop and now) is due now.
        dispatcher.Wake();
        while (true)
        {
            await connection.WaitAsync(ct);
        }
    }
}
