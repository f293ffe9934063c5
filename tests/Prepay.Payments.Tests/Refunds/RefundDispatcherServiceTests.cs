using System.Net;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;
using static Prepay.Payments.Tests.Refunds.RefundSteps;

namespace Prepay.Payments.Tests.Refunds;

/// <summary>A server whose refund dispatcher runs by itself (as in production), polling often.</summary>
public abstract class DispatchingPaymentsServer : PaymentsServer
{
    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = base.ExtraSettings;
            settings["Payments:Refunds:Dispatch"] = "true";
            settings["Payments:Refunds:PollInterval"] = "00:00:00.200";
            return settings;
        }
    }
}

public sealed class DispatchingPaymentsSqliteServer : DispatchingPaymentsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class DispatchingPaymentsPostgresServer : DispatchingPaymentsServer
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

/// <summary>The dispatcher as the server runs it: an approved refund is paid without anyone running a round.</summary>
public abstract class RefundDispatcherServiceTests(PaymentsServer server)
{
    [Fact]
    public async Task The_server_pays_an_approved_refund_by_itself()
    {
        var p = await OnlinePayment.PayAsync(server);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(server, await RequestedAsync(server, p), "approve")).StatusCode);
        // The dispatcher's own poll is the signal: its rows move to refunded, or the deadline says it never ran.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await RefundAsync(server, p))!.State != RefundState.Refunded)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the refund is still {(await RefundAsync(server, p))!.State} after 30 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        await AssertLedgerBalancedAsync(server);
    }
}

public sealed class RefundDispatcherServiceSqliteTests(DispatchingPaymentsSqliteServer server) : RefundDispatcherServiceTests(server), IClassFixture<DispatchingPaymentsSqliteServer>;

public sealed class RefundDispatcherServicePostgresTests(DispatchingPaymentsPostgresServer server) : RefundDispatcherServiceTests(server), IClassFixture<DispatchingPaymentsPostgresServer>;
