using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.CentralCredit.Tests;

/// <summary>
/// Real servers for central credit with the background worker off: each test runs the pricing rounds itself (two at
/// once, as two nodes would), so it knows when pricing is done instead of waiting for it; so does the daily balance comparison.
/// </summary>
public sealed class CentralCreditSqliteServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["CentralCredit:Worker"] = "false", ["CentralCredit:Comparison"] = "false" };
}

public sealed class CentralCreditPostgresServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["CentralCredit:Worker"] = "false", ["CentralCredit:Comparison"] = "false" };
}

/// <summary>The same in Development, so the console's sign-in cookies travel over plain http on loopback.</summary>
public sealed class CentralCreditWebServer : ServerFixture
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override string[] Args => ["--environment", "Development"];
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["CentralCredit:Worker"] = "false", ["CentralCredit:Comparison"] = "false" };
}
