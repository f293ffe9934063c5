using System.Net.Http.Json;
using Prepay.Storage;
using Prepay.Testing;

namespace Prepay.Payments.Tests;

/// <summary>
/// A test server with the sandbox payment provider on (a TEST secret, here only) and an online-payments vendor
/// with a float, made through the API once per server. Its refund dispatcher does not run by itself: tests run its
/// rounds, so what a round sends is what the test asked for.
/// </summary>
public abstract class PaymentsServer : ServerFixture
{
    /// <summary>The sandbox's callback secret on test servers; no other configuration has it.</summary>
    public const string TestSecret = "test-only-sandbox-secret-0123456789abcdef";

    public const string VendorCode = "PAY-ONLINE";

    private readonly SemaphoreSlim _vendorGate = new(1, 1);
    private bool _vendorMade;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Payments:Sandbox:Enabled"] = "true",
        ["Payments:Sandbox:Secret"] = TestSecret,
        ["Payments:VendorCode"] = VendorCode,
        // The tests run refund rounds themselves (RefundDispatcher.DispatchOnceAsync), on the fake clock.
        ["Payments:Refunds:Dispatch"] = "false",
        ["Payments:Refunds:MaxAttempts"] = "3",
        ["Payments:Refunds:FirstRetryDelay"] = "00:00:30",
    };

    public async Task EnsureVendorAsync()
    {
        await _vendorGate.WaitAsync();
        try
        {
            if (_vendorMade)
            {
                return;
            }
            using var admin = Client();
            await Scenario.Ok(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = VendorCode, name = "Online payments", channel = "web", currency = "ZAR", commissionBasisPoints = 0 }));
            await Scenario.DepositAsync(this, VendorCode, "100000.00", "settlement-1");
            _vendorMade = true;
        }
        finally
        {
            _vendorGate.Release();
        }
    }
}

public sealed class PaymentsSqliteServer : PaymentsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PaymentsPostgresServer : PaymentsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
