using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Payments;
using Prepay.Testing;

namespace Prepay.Payments.Tests.Refunds;

/// <summary>What the refund tests do over HTTP and read from the database, said once.</summary>
internal static class RefundSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpResponseMessage> AskAsync(HttpClient client, Guid paymentId, string? key, string reason = "the payer bought for the wrong meter")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/payments/{paymentId}/refund-requests") { Content = JsonContent.Create(new { reason }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return await client.SendAsync(request, Ct);
    }

    public static async Task<JsonNode> RequestedAsync(PaymentsServer server, OnlinePayment p)
    {
        using var admin = server.Client();
        var response = await AskAsync(admin, p.PaymentId, "refund-" + p.Scenario.Suffix);
        var body = await Scenario.Json(response);
        Scenario.Status(HttpStatusCode.Accepted, response, body.ToJsonString());
        return body;
    }

    public static async Task<HttpResponseMessage> DecideAsync(PaymentsServer server, JsonNode requested, string decision, string? key = null)
    {
        using var client = server.Client(key ?? await server.ApproverKeyAsync());
        return await client.PostAsync($"/api/v1/approvals/{requested["id"]}/{decision}", null, Ct);
    }

    public static async Task<JsonNode> ProblemAsync(HttpStatusCode status, HttpResponseMessage response, string code)
    {
        var body = await Scenario.Json(response);
        Scenario.Status(status, response, body.ToJsonString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:prepay:problem:" + code, body["type"]!.GetValue<string>());
        return body;
    }

    public static async Task<T> InDb<T>(PaymentsServer server, Func<PrepayDb, Task<T>> query)
    {
        await using var scope = server.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<PrepayDb>());
    }

    public static Task<PaymentRefund?> RefundAsync(PaymentsServer server, OnlinePayment p) =>
        InDb(server, db => db.PaymentRefunds.AsNoTracking().SingleOrDefaultAsync(r => r.PaymentId == p.PaymentId, Ct));

    public static Task<long> OwedAsync(PaymentsServer server) =>
        InDb(server, db => LedgerStore.BalanceAsync(db, AccountCode.RefundsOwed("sandbox", "ZAR"), Ct));

    public static Task<long> OnlineFloatAsync(PaymentsServer server) =>
        InDb(server, async db => await LedgerStore.BalanceAsync(db,
            AccountCode.VendorFloat(await db.Vendors.Where(v => v.Code == PaymentsServer.VendorCode).Select(v => v.Id).SingleAsync(Ct), "ZAR"), Ct));

    public static async Task AssertLedgerBalancedAsync(PaymentsServer server) =>
        Assert.Empty(await InDb(server, db => LedgerStore.VerifyAsync(db, Ct)));

    public static async Task<JsonNode> PaymentAsync(PaymentsServer server, OnlinePayment p)
    {
        using var admin = server.Client();
        return await Scenario.Ok(await admin.GetAsync($"/api/v1/payments/{p.PaymentId}", Ct));
    }
}
