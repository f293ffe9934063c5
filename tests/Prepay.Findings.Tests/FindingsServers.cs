using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Findings.Tests;

/// <summary>
/// Real servers with the findings job off (each test runs the detectors itself, through the API, so it knows when they
/// ran), in Development so the console's sign-in cookies travel over plain http on loopback.
/// </summary>
public abstract class FindingsServer : ServerFixture
{
    protected override string[] Args => ["--environment", "Development"];

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RevenueProtection:Job"] = "false" };
}

public sealed class FindingsSqliteServer : FindingsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class FindingsPostgresServer : FindingsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
