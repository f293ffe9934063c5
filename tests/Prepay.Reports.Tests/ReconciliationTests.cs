using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Uplinks;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Payments.Sandbox;
using Prepay.Reports.Reconciliation;
using Prepay.Storage;
using Prepay.Storage.Records.Payments;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>
/// The reconciliation report on a simulated month: every day a token vend and a smart vend whose meter acknowledges
/// its credit, float deposits approved by a second admin, online payments taken and vended through the sandbox's
/// signed callbacks; and three injected differences: a smart vend whose command never landed, a payment taken and never
/// vended (the server stopped between the provider's approval and the vend), and a float deposit recorded twice (the
/// same bank reference approved again). The report lists exactly those three with their causes, and its CSV says
/// what its JSON says.
/// </summary>
public abstract class ReconciliationTests(ReportsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_simulated_month_reconciles_to_exactly_the_injected_differences_in_JSON_and_CSV()
    {
        var token = await CreateAsync(server, floatAmount: "50000.00");
        var smart = await CreateAsync(server, floatAmount: "50000.00", mode: "smart");
        using var admin = server.Client();
        await Ok(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = ReportsServer.OnlineVendor, name = "Online payments", channel = "web", currency = "ZAR", commissionBasisPoints = 0 }, Ct));
        await DepositAsync(server, ReportsServer.OnlineVendor, "100000.00", "settlement-1");
        var first = server.Clock.GetCurrentInstant().InUtc().Date.PlusDays(1);
        server.Clock.Reset(first.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant() + Duration.FromHours(8));
        using var tokenTill = server.Client(token.VendorKey);
        using var smartTill = server.Client(smart.VendorKey);
        string? lostVend = null;
        Guid? unvendedPayment = null;
        for (var day = 0; day < 30; day++)
        {
            await Ok(await tokenTill.SendAsync(Vend(new { meterNumber = token.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
            var vend = await Ok(await smartTill.SendAsync(Vend(new { meterNumber = smart.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
            var vendId = vend["id"]!.GetValue<Guid>();
            if (day == 12)
            {
                lostVend = vendId.ToString(); // its command never lands: the meter never acknowledges it
            }
            else
            {
                await AcknowledgeAsync(smart.MeterNumber, vendId);
            }
            if (day % 10 == 5)
            {
                await PayAsync(token.MeterNumber, day, vended: true);
            }
            if (day == 20)
            {
                unvendedPayment = await PayAsync(token.MeterNumber, day, vended: false);
            }
            if (day == 8)
            {
                await DepositAsync(server, token.VendorCode, "500.00", "bank-0815");
            }
            if (day == 9)
            {
                await DepositAsync(server, token.VendorCode, "500.00", "bank-0815"); // the same slip, approved again
            }
            server.Clock.Advance(Duration.FromDays(1));
        }

        var period = $"from={LocalDatePattern.Iso.Format(first)}&to={LocalDatePattern.Iso.Format(first.PlusDays(29))}";
        var report = await Ok(await admin.GetAsync($"/api/v1/reports/reconciliation?{period}", Ct));

        var differences = report["differences"]!.AsArray().Select(d => d!).ToList();
        Assert.Equal(
            [(Causes.DepositRecordedTwice, "bank-0815"), (Causes.PaymentNotVended, unvendedPayment.ToString()!), (Causes.CreditNotRegistered, lostVend!)],
            differences.Select(d => (d["cause"]!.GetValue<string>(), d["reference"]!.GetValue<string>())));
        Assert.Equal(50000L, differences[0]["amountMinor"]!.GetValue<long>());
        Assert.Equal(3000L, differences[2]["amountMinor"]!.GetValue<long>());
        var totals = report["totals"]!;
        Assert.Equal((63, 30 * 2000L + 30 * 3000 + 3 * 4000), (totals["vends"]!.GetValue<int>(), totals["vendedMinor"]!.GetValue<long>()));
        Assert.Equal(totals["vendedMinor"]!.GetValue<long>(), totals["ledgerVendMinor"]!.GetValue<long>());
        Assert.Equal((30, 29), (totals["smartVends"]!.GetValue<int>(), totals["creditRegistered"]!.GetValue<int>()));
        Assert.Equal((4, 4 * 4000L), (totals["paymentsTaken"]!.GetValue<int>(), totals["paymentsMinor"]!.GetValue<long>()));

        var csv = await admin.GetAsync($"/api/v1/reports/reconciliation?{period}&format=csv", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ReconciliationCsv.Header, lines[0]);
        Assert.Equal(differences.Count, lines.Length - 1);
        for (var i = 0; i < differences.Count; i++)
        {
            var d = differences[i];
            Assert.StartsWith($"{d["cause"]},{d["reference"]},{d["amountMinor"]},{d["currency"]},{d["at"]},", lines[i + 1], StringComparison.Ordinal);
        }

        var bad = await admin.GetAsync($"/api/v1/reports/reconciliation?from={LocalDatePattern.Iso.Format(first)}&to=2020-01-01", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await tokenTill.GetAsync($"/api/v1/reports/reconciliation?{period}", Ct)).StatusCode);
    }

    // The meter's acknowledgement of the vend's credit command, stored as the head-end stores it.
    private async Task AcknowledgeAsync(string meter, Guid vendId)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var reference = $"vend {vendId:N}";
        var command = await db.MeterCommands.Where(c => c.Reference == reference).Select(c => c.Id).SingleAsync(Ct);
        var now = server.Clock.GetCurrentInstant();
        Assert.Equal(1, await CommandQueue.AcknowledgeAsync(db, meter, new CommandAcknowledgement(command, AcknowledgementResult.Applied, null, now), now, Ct));
    }

    /// <summary>
    /// 40.00 paid online at the sandbox: checkout, then the provider's signed approval, which vends. Unvended: the
    /// provider's approval is recorded and the server stops before the vend, as a crash there would leave it.
    /// </summary>
    private async Task<Guid> PayAsync(string meter, int day, bool vended)
    {
        var checkout = server.Services.GetRequiredService<CheckoutService>();
        var started = Assert.IsType<CheckoutOutcome.Started>(await checkout.StartAsync(new CheckoutRequest($"month-{day}-{meter}", meter, "40.00", PaymentOrigins.Recharge, null, "test"), Ct));
        if (vended)
        {
            var body = JsonSerializer.Serialize(new
            {
                id = $"cb-{day}-{meter}", type = "payment.approved", sessionId = started.SessionId, paymentId = $"pay-{day}-{meter}", amount = "40.00", currency = "ZAR", method = "card •••• 4242",
            });
            using var client = server.Client(apiKey: null);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callbacks/sandbox") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation(SandboxProvider.SignatureHeader, CallbackSignature.Sign(ReportsServer.TestSecret, server.Clock.GetCurrentInstant().ToUnixTimeSeconds(), body));
            using var response = await client.SendAsync(request, Ct);
            Assert.Contains("\"status\":\"vended\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
        else
        {
            await using var scope = server.Scope();
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var session = await db.PaymentSessions.SingleAsync(p => p.Id == started.SessionId, Ct);
            session.Status = PaymentStatus.Approved;
            session.DecidedAt = server.Clock.GetCurrentInstant();
            session.ProviderPaymentId = $"pay-{day}-{meter}";
            await db.SaveChangesAsync(Ct);
        }
        return started.SessionId;
    }
}

public sealed class ReconciliationSqliteTests(ReportsSqliteServer server) : ReconciliationTests(server), IClassFixture<ReportsSqliteServer>;

public sealed class ReconciliationPostgresTests(ReportsPostgresServer server) : ReconciliationTests(server), IClassFixture<ReportsPostgresServer>;
