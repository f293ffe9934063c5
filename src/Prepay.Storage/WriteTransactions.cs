using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Prepay.Storage;

public static class WriteTransactions
{
    /// <summary>
    /// Starts the transaction a money-moving operation runs in. On SQLite it is <c>BEGIN IMMEDIATE</c>: the write
    /// lock is taken at once, so two writers queue instead of both reading and then failing to upgrade. On
    /// PostgreSQL it is READ COMMITTED; row locks taken by the operation's first UPDATEs serialise what must be.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteAsync(this PrepayDb db, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var tx = connection.BeginTransaction(IsolationLevel.Serializable, deferred: false);
            return await db.Database.UseTransactionAsync(tx, ct) ?? throw new InvalidOperationException("No transaction.");
        }
        return await db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
    }

    /// <summary>A PostgreSQL deadlock or serialisation failure: the whole operation may be retried as it was.</summary>
    public static bool IsTransient(Exception e) =>
        Inner<PostgresException>(e) is { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

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
