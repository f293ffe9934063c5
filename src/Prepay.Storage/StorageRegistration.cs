using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage.Auditing;
using Prepay.Storage.Ledger;

namespace Prepay.Storage;

public static class StorageRegistration
{
    /// <summary>Registers <see cref="PrepayDb"/> for the configured provider, pooled, and the ledger store.</summary>
    public static IServiceCollection AddPrepayStorage(this IServiceCollection services, StorageOptions options)
    {
        if (options.ReadingRetentionMonths is < 0 or 1 or > 1200)
        {
            // One month kept would drop last month's readings on the first of the month, before its bills are made.
            throw new InvalidOperationException($"Storage:ReadingRetentionMonths must be 0 (keep every reading) or 2 to 1200, not {options.ReadingRetentionMonths}");
        }
        var connectionString = options.ResolveConnectionString();
        services.AddSingleton(options);
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<Cluster.NodeIdentity>();
        services.AddSingleton<Cluster.JobLeases>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<PrepayDb, SqliteDb>((sp, o) => o.UseSqlite(connectionString).AddInterceptors(new AuditActorStamp(sp.GetService<IAuditActorSource>())));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PrepayDb, PostgresDb>((sp, o) => o.UseNpgsql(WithPoolSettings(connectionString)).AddInterceptors(new AuditActorStamp(sp.GetService<IAuditActorSource>())));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider.");
        }
        return services;
    }

    /// <summary>
    /// Lets Npgsql prepare the statements a server runs again and again (a vend's dozen, the head-end's), so that
    /// PostgreSQL parses and plans each once per connection instead of on every call; and hand a pooled connection on
    /// without resetting its session (seven statements on every return to the pool): Prepay sets no session state
    /// (no SET, LISTEN or session lock on a pooled connection: the command listener's LISTEN has an unpooled one of its own; the head-end's temporary table empties at every commit), and an open
    /// transaction is rolled back on return whatever this says. A connection string that names either setting itself keeps its own.
    /// <para>
    /// Behind pgbouncer in transaction mode (docs/operations.md) each transaction may run on another server
    /// connection: before 1.21 pgbouncer keeps no prepared statement, so the operator writes <c>Max Auto Prepare=0</c>;
    /// a reset would run on a server connection other clients share, so none is sent; the temporary table is made,
    /// when missing, in the transaction that uses it.
    /// </para>
    /// </summary>
    public static string WithPoolSettings(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        // The keys the string names, by keyword (case and spaces as written are Npgsql's own business).
        var named = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!named.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 100;
        }
        if (!named.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        if (!named.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }
        return builder.ConnectionString;
    }

    /// <summary>
    /// Applies pending migrations. Safe with several servers starting at once: the migrator takes a database lock.
    /// SQLite is switched to WAL so that readers never wait for the writer.
    /// </summary>
    public static async Task MigrateAsync(this PrepayDb db, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }
        await db.Database.MigrateAsync(ct);
    }
}
