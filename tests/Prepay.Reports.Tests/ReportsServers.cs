using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Reports.Tests;

/// <summary>
/// Real servers with the sandbox payment provider on (a TEST secret, here only) and the online-payments vendor named,
/// in Development so the console's sign-in cookies travel over plain http on loopback.
/// </summary>
public abstract class ReportsServer : ServerFixture
{
    protected override string[] Args => ["--environment", "Development"];

    public const string TestSecret = "test-only-sandbox-secret-0123456789abcdef";

    public const string OnlineVendor = "PAY-ONLINE";

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Payments:Sandbox:Enabled"] = "true",
        ["Payments:Sandbox:Secret"] = TestSecret,
        ["Payments:VendorCode"] = OnlineVendor,
        ["Payments:Refunds:Dispatch"] = "false",
        ["RevenueProtection:Job"] = "false",
    };
}

public sealed class ReportsSqliteServer : ReportsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ReportsPostgresServer : ReportsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
