using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Prepay.Storage;

/// <summary>The embedded default: one SQLite file in WAL mode in the data directory.</summary>
public sealed class SqliteDb(DbContextOptions<SqliteDb> options) : PrepayDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

/// <summary>Lets the migrations tool build the SQLite model without a host.</summary>
public sealed class SqliteDbDesignFactory : IDesignTimeDbContextFactory<SqliteDb>
{
    public SqliteDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDb>().UseSqlite("Data Source=design.db").Options);
}
