using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Statements.Tests;

/// <summary>
/// Real servers for statements: central credit's worker and the digest job off (each test prices and runs the job
/// itself, so it knows when they are done), in Development so sign-in cookies travel over plain http on loopback.
/// </summary>
public abstract class StatementServer : ServerFixture
{
    protected override string[] Args => ["--environment", "Development"];

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["CentralCredit:Worker"] = "false",
        ["Statements:Digests"] = "false",
        ["Alerts:Dispatch"] = "false",
    };
}

public sealed class StatementSqliteServer : StatementServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class StatementPostgresServer : StatementServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
