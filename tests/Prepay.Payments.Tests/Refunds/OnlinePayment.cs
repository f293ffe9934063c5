using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Payments.Sandbox;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;
using Prepay.Testing;

namespace Prepay.Payments.Tests.Refunds;

/// <summary>A payment made online and vended, as the sandbox makes one: a checkout, then its signed approved callback.</summary>
public sealed record OnlinePayment(Scenario Scenario, Guid PaymentId, string ProviderPaymentId, Guid VendId)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="method">How the payer paid, as the sandbox reports it: its refund desk decides by it.</param>
    public static async Task<OnlinePayment> PayAsync(PaymentsServer server, string mode = "token", string method = "card •••• 4242", string amount = "100.00")
    {
        var s = await Scenario.CreateAsync(server, mode: mode);
        await server.EnsureVendorAsync();
        var started = Assert.IsType<CheckoutOutcome.Started>(await server.Services.GetRequiredService<CheckoutService>()
            .StartAsync(new CheckoutRequest("test-" + s.Suffix, s.MeterNumber, amount, PaymentOrigins.Recharge, null, "test"), Ct));
        var paymentId = "pay_rf_" + s.Suffix;
        var body = JsonSerializer.Serialize(new
        {
            id = "cb_rf_" + s.Suffix, type = "payment.approved", sessionId = started.SessionId, paymentId, amount, currency = "ZAR", method,
        });
        using var client = server.Client(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callbacks/sandbox") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(SandboxProvider.SignatureHeader,
            CallbackSignature.Sign(PaymentsServer.TestSecret, server.Clock.GetCurrentInstant().ToUnixTimeSeconds(), body));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var scope = server.Scope();
        var session = await scope.ServiceProvider.GetRequiredService<PrepayDb>().PaymentSessions.AsNoTracking().SingleAsync(x => x.Id == started.SessionId, Ct);
        Assert.Equal(PaymentStatus.Vended, session.Status);
        return new OnlinePayment(s, started.SessionId, paymentId, session.VendId!.Value);
    }
}
