using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage.Ledger;

namespace Prepay.Storage;

public static class StorageRegistration
{
    /// <summary>Registers <see cref="PrepayDb"/> for the configured provider, pooled, and the ledger store.</summary>
    public static IServiceCollection AddPrepayStorage(this IServiceCollection services, StorageOptions options)
    {
        var connectionString = options.ResolveConnectionString();
        services.AddSingleton(options);
        services.AddSingleton<LedgerStore>();
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<PrepayDb, SqliteDb>(o => o.UseSqlite(connectionString));
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PrepayDb, PostgresDb>(o => o.UseNpgsql(WithPreparedStatements(connectionString)));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown storage provider.");
        }
        return services;
    }

    /// <summary>
    /// Lets Npgsql prepare the statements a server runs again and again (a vend's dozen, the head-end's), so that
    /// PostgreSQL parses and plans each once per connection instead of on every call. A connection string that names
    /// any auto-prepare setting itself (<c>Max Auto Prepare=0</c> turns it off) keeps its own settings.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
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
