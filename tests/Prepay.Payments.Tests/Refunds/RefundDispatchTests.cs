using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Payments.Refunds;
using Prepay.Payments.Sandbox;
using Prepay.Storage.Records.Payments;
using static Prepay.Payments.Tests.Refunds.RefundSteps;

namespace Prepay.Payments.Tests.Refunds;

/// <summary>
/// The refund dispatcher: it calls the provider after the approval committed, with the refund id as the provider's
/// idempotency key, retries with exponential back-off and marks a refund failed after its attempts (the money stays
/// owed to the payer); a call repeated after a crash pays once. The test server's dispatcher runs only when a test
/// runs a round, on the fake clock.
/// </summary>
public abstract class RefundDispatchTests(PaymentsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RefundDispatcher Dispatcher => server.Services.GetRequiredService<RefundDispatcher>();
    private SandboxRefunds Sandbox => server.Services.GetRequiredService<SandboxRefunds>();

    private async Task<(OnlinePayment Payment, PaymentRefund Refund)> ApprovedAsync(string method = "card •••• 4242")
    {
        var p = await OnlinePayment.PayAsync(server, method: method);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(server, await RequestedAsync(server, p), "approve")).StatusCode);
        return (p, (await RefundAsync(server, p))!);
    }

    [Fact]
    public async Task A_refund_the_provider_keeps_failing_is_retried_with_back_off_then_marked_failed_and_stays_owed()
    {
        var (p, _) = await ApprovedAsync(method: TestCards.Masked("card", TestCards.RefundFails));
        var owed = await OwedAsync(server);

        await Dispatcher.DispatchOnceAsync(Ct);
        var refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Sent, 1), (refund.State, refund.Attempts));
        Assert.Contains("refund_processing_error", refund.LastError, StringComparison.Ordinal);
        Assert.Equal(server.Clock.GetCurrentInstant() + Duration.FromSeconds(30), refund.NextAttemptAt);

        // Not due before its back-off ends.
        await Dispatcher.DispatchOnceAsync(Ct);
        Assert.Equal(1, (await RefundAsync(server, p))!.Attempts);

        server.Clock.Advance(Duration.FromSeconds(30));
        await Dispatcher.DispatchOnceAsync(Ct);
        refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Sent, 2), (refund.State, refund.Attempts));
        // Doubled after the second failure.
        Assert.Equal(server.Clock.GetCurrentInstant() + Duration.FromSeconds(60), refund.NextAttemptAt);

        server.Clock.Advance(Duration.FromSeconds(60));
        await Dispatcher.DispatchOnceAsync(Ct);
        refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Failed, 3), (refund.State, refund.Attempts));
        Assert.NotNull(refund.CompletedAt);
        Assert.Empty(Sandbox.Of(p.ProviderPaymentId));
        Assert.Equal(owed, await OwedAsync(server));
        await AssertLedgerBalancedAsync(server);

        server.Clock.Advance(Duration.FromHours(2));
        await Dispatcher.DispatchOnceAsync(Ct);
        Assert.Equal(3, (await RefundAsync(server, p))!.Attempts);

        var shown = (await PaymentAsync(server, p))["refund"]!;
        Assert.Equal("failed", shown["state"]!.GetValue<string>());
        Assert.Contains("refund_processing_error", shown["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        var actions = await InDb(server, db => db.Audit.Where(a => a.Target == $"payment/{p.PaymentId}" && a.Action.StartsWith("payment.refund.")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(Ct));
        Assert.Equal(["payment.refund.request", "payment.refund.approve", "payment.refund.retry", "payment.refund.retry", "payment.refund.failed"], actions);
    }

    [Fact]
    public async Task A_provider_call_repeated_after_a_crash_pays_once_under_the_refund_id()
    {
        var (p, refund) = await ApprovedAsync();
        var owed = await OwedAsync(server);
        // The first attempt reached the provider, and the server died before it recorded the answer.
        var first = await Sandbox.RefundAsync(refund.Id.ToString("N"), p.ProviderPaymentId, new Money(10000, Currency.FromCode("ZAR")), Ct);
        var reference = Assert.IsType<RefundAnswer.Refunded>(first).Reference;

        await Dispatcher.DispatchOnceAsync(Ct);
        refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Refunded, reference), (refund.State, refund.ProviderReference));
        Assert.Single(Sandbox.Of(p.ProviderPaymentId));
        Assert.Equal(owed - 10000, await OwedAsync(server));
        await AssertLedgerBalancedAsync(server);
    }

    [Fact]
    public async Task A_refund_claimed_by_a_server_that_died_is_sent_again_after_its_lease()
    {
        var (p, _) = await ApprovedAsync();
        // A claim as a round takes it, and then nothing: the server died before calling the provider.
        await InDb(server, db => db.PaymentRefunds.Where(r => r.PaymentId == p.PaymentId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.State, RefundState.Sent).SetProperty(r => r.Attempts, 1)
            .SetProperty(r => r.NextAttemptAt, server.Clock.GetCurrentInstant() + Duration.FromMinutes(2)), Ct));
        await Dispatcher.DispatchOnceAsync(Ct);
        Assert.Equal((RefundState.Sent, 1), ((await RefundAsync(server, p))!.State, (await RefundAsync(server, p))!.Attempts));

        server.Clock.Advance(Duration.FromMinutes(2));
        await Dispatcher.DispatchOnceAsync(Ct);
        var refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Refunded, 2), (refund.State, refund.Attempts));
        Assert.Single(Sandbox.Of(p.ProviderPaymentId));
    }
}

public sealed class RefundDispatchSqliteTests(PaymentsSqliteServer server) : RefundDispatchTests(server), IClassFixture<PaymentsSqliteServer>;

public sealed class RefundDispatchPostgresTests(PaymentsPostgresServer server) : RefundDispatchTests(server), IClassFixture<PaymentsPostgresServer>;
