using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Prepay.Storage;

public static class WriteTransactions
{
    // One queue per SQLite database file. SQLite admits one writer at a time anyway; without this queue, writers in
    // this process would find the file locked and back off in sleeps, which costs far more than waiting in line.
    // It is a queue, not a guard: the database's own lock still decides, also against other processes.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SqliteWriters = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts the transaction a money-moving operation runs in. On SQLite it is <c>BEGIN IMMEDIATE</c>: the write
    /// lock is taken at once, so two writers queue instead of both reading and then failing to upgrade. On
    /// PostgreSQL it is READ COMMITTED; row locks taken by the operation's first UPDATEs serialise what must be.
    /// </summary>
    public static async Task<WriteTransaction> BeginWriteAsync(this PrepayDb db, CancellationToken ct)
    {
        // A SaveChanges inside a transaction of ours needs no savepoint of its own: on any failure the whole operation
        // is rolled back (and retried, where it may be), never resumed from the middle. Without this EF Core wraps
        // every SaveChanges in SAVEPOINT/RELEASE: two more round trips while the transaction holds its row locks.
        db.Database.AutoSavepointsEnabled = false;
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var gate = SqliteWriters.GetOrAdd(db.Database.GetConnectionString() ?? "", _ => new SemaphoreSlim(1, 1));
            // Bounded: a writer that waited this long would also have met SQLite's own busy timeout outside the queue,
            // and a failure that says so beats a hang should a write ever be started while another holds the queue.
            if (!await gate.WaitAsync(QueueTimeout, ct))
            {
                throw new TimeoutException($"Waited {QueueTimeout.TotalSeconds:0} s for the SQLite writers' queue; another write held it all that time.");
            }
            try
            {
                await db.Database.OpenConnectionAsync(ct);
                var connection = (SqliteConnection)db.Database.GetDbConnection();
                var tx = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
                var efTx = await db.Database.UseTransactionAsync(tx, ct) ?? throw new InvalidOperationException("No transaction.");
                return new WriteTransaction(efTx, gate);
            }
            catch
            {
                gate.Release();
                throw;
            }
        }
        return new WriteTransaction(await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct), null);
    }

    /// <summary>How long a writer waits for its turn in the SQLite writers' queue before it fails.</summary>
    public static readonly TimeSpan QueueTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs a write that is not part of an operation's own transaction (a claim, a status update, a counter) in
    /// this process's SQLite writers' queue, committed on its own. Outside the queue it would find the file locked by
    /// a queued writer, and Microsoft.Data.Sqlite answers that by sleeping on the thread and trying again, for up to
    /// its busy timeout. Inside a transaction already, or on PostgreSQL, the write simply runs.
    /// </summary>
    public static async Task<T> QueuedAsync<T>(this PrepayDb db, Func<Task<T>> write, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(write);
        if (db.Provider != DatabaseProvider.Sqlite || db.Database.CurrentTransaction is not null)
        {
            return await write();
        }
        await using var tx = await db.BeginWriteAsync(ct);
        var result = await write();
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>A PostgreSQL deadlock or serialisation failure: the whole operation may be retried as it was.</summary>
    public static bool IsTransient(Exception e) =>
        Inner<PostgresException>(e) is { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>
    /// The wait before a write is tried again while the database is unavailable (<see cref="IsUnavailable"/>): doubling
    /// from a quarter of a second to five seconds, so a failover of ten or twenty seconds costs a few tries, not hundreds.
    /// </summary>
    public static TimeSpan UnavailableRetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(5_000, 250 * Math.Pow(2, Math.Clamp(failures - 1, 0, 16))));

    /// <summary>
    /// The database could not take the write just now, whatever the write was: unreachable or restarting (a failover,
    /// a restart, a connection cut: PostgreSQL's connection-exception class 08, admin or crash shutdown 57P01/57P02,
    /// cannot connect now 57P03, too many connections 53300, or no server answering at all: an Npgsql failure that is
    /// not a server's error, such as no suitable host among several while a standby is promoted), a deadlock or serialisation failure, SQLite busy or
    /// locked, or what the driver itself calls transient. The same write may succeed later; content the database
    /// refuses (a constraint, a bad value) is never this.
    /// </summary>
    public static bool IsUnavailable(Exception e)
    {
        if (IsTransient(e))
        {
            return true;
        }
        if (Inner<PostgresException>(e) is { } pg)
        {
            return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                || pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                    or PostgresErrorCodes.TooManyConnections;
        }
        if (Inner<NpgsqlException>(e) is not null)
        {
            // Npgsql's own failure, with no answer from a server: the connection could not be made or was lost. With
            // several hosts during a failover it is "No suitable host was found", with no inner exception to tell by.
            return true;
        }
        if (Inner<SqliteException>(e) is { } lite)
        {
            return lite.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED
        }
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is TimeoutException or IOException or System.Net.Sockets.SocketException or DbException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The CHECK constraint that keeps an account at or above its minimum balance (a float, a customer's credit).</summary>
    public const string MinimumBalanceConstraint = "ck_accounts_minimum_balance";

    /// <summary>An account would have gone below its minimum balance: the write is refused, nothing of it kept.</summary>
    public static bool IsBelowMinimumBalance(Exception e) => IsCheckViolation(e, MinimumBalanceConstraint);

    /// <summary>A CHECK constraint refused the write (e.g. a float or customer credit would go below zero).</summary>
    public static bool IsCheckViolation(Exception e, string constraint) =>
        Inner<PostgresException>(e) is { SqlState: PostgresErrorCodes.CheckViolation } pg
            ? pg.ConstraintName == constraint
            : Inner<SqliteException>(e) is { SqliteErrorCode: 19 } lite && lite.Message.Contains(constraint, StringComparison.Ordinal);

    /// <summary>A unique key refused the write: somebody else got there first.</summary>
    public static bool IsUniqueViolation(Exception e) =>
        Inner<PostgresException>(e) is { SqlState: PostgresErrorCodes.UniqueViolation }
        || Inner<SqliteException>(e) is { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    private static T? Inner<T>(Exception? e) where T : DbException
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is T t)
            {
                return t;
            }
        }
        return null;
    }
}

/// <summary>A write transaction; on SQLite it also holds this process's place in the writers' queue until disposed.</summary>
public sealed class WriteTransaction(IDbContextTransaction transaction, SemaphoreSlim? gate) : IAsyncDisposable
{
    private SemaphoreSlim? _gate = gate;

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public Task RollbackAsync(CancellationToken ct) => transaction.RollbackAsync(ct);

    /// <summary>Marks a point to return to: what follows can be undone alone (one vend of a batch), the rest kept.</summary>
    public Task SavepointAsync(string name, CancellationToken ct) => transaction.CreateSavepointAsync(name, ct);

    public Task RollbackToSavepointAsync(string name, CancellationToken ct) => transaction.RollbackToSavepointAsync(name, ct);

    public Task ReleaseSavepointAsync(string name, CancellationToken ct) => transaction.ReleaseSavepointAsync(name, ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await transaction.DisposeAsync();
        }
        finally
        {
            Interlocked.Exchange(ref _gate, null)?.Release();
        }
    }
}
