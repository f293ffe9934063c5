using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Prepay.Storage;

/// <summary>PostgreSQL, for several <c>prepay serve</c> nodes sharing one database.</summary>
public sealed class PostgresDb(DbContextOptions<PostgresDb> options) : PrepayDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>Lets the migrations tool build the PostgreSQL model without a host or a server.</summary>
public sealed class PostgresDbDesignFactory : IDesignTimeDbContextFactory<PostgresDb>
{
    public PostgresDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDb>().UseNpgsql("Host=127.0.0.1;Database=prepay_design").Options);
}
