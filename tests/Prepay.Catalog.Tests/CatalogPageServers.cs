using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Catalog.Tests;

/// <summary>Real servers in Development, so the console's sign-in cookies travel over plain http on loopback.</summary>
public abstract class CatalogPageServer : ServerFixture
{
    protected override string[] Args => ["--environment", "Development"];
}

public sealed class CatalogPageSqliteServer : CatalogPageServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class CatalogPagePostgresServer : CatalogPageServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
