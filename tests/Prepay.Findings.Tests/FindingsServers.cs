using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Findings.Tests;

/// <summary>Real servers with the findings job off: each test runs the detectors itself (the API's run), so it knows when they ran.</summary>
public sealed class FindingsSqliteServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RevenueProtection:Job"] = "false" };
}

public sealed class FindingsPostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RevenueProtection:Job"] = "false" };
}
