using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Prepay.Storage;

/// <summary>The embedded default: one SQLite file in WAL mode in the data directory.</summary>
public sealed class SqliteDb(DbContextOptions<SqliteDb> options) : PrepayDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>
    /// A save outside an operation's transaction (sign-in bookkeeping, a notification marked sent) takes its turn in
    /// the writers' queue like every other write (<see cref="WriteTransactions.QueuedAsync{T}"/>).
    /// </summary>
    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        Database.CurrentTransaction is not null || !ChangeTracker.HasChanges()
            ? base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken)
            : this.QueuedAsync(() => base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken), cancellationToken);
}

/// <summary>Lets the migrations tool build the SQLite model without a host.</summary>
public sealed class SqliteDbDesignFactory : IDesignTimeDbContextFactory<SqliteDb>
{
    public SqliteDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDb>().UseSqlite("Data Source=design.db").Options);
}
