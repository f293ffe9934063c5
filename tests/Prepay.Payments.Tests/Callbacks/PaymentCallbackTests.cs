using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Payments.Checkout;
using Prepay.Payments.Providers;
using Prepay.Payments.Sandbox;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Payments;
using Prepay.Testing;

namespace Prepay.Payments.Tests.Callbacks;

/// <summary>
/// The payment provider's callback endpoint over HTTP, as a provider calls it: only a callback signed with the
/// secret, within the time window, for the session's own amount, and never seen before may change anything; a
/// declined payment, a bad signature, a stale time or a replay vends nothing.
/// </summary>
public abstract class PaymentCallbackTests(PaymentsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_approved_callback_vends_once_with_the_payment_id_as_the_vend_key()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_ok_" + s.Suffix, "pay_ok_" + s.Suffix, approved: true);
        var (status, text) = await PostAsync(body, Sign(body));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.Contains("\"status\":\"vended\"", text, StringComparison.Ordinal);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var stored = await db.PaymentSessions.SingleAsync(x => x.Id == session, Ct);
        Assert.Equal(PaymentStatus.Vended, stored.Status);
        var vend = await db.Vends.SingleAsync(v => v.MeterNumber == s.MeterNumber, Ct);
        Assert.Equal(stored.VendId, vend.Id);
        Assert.Equal("pay:sandbox:pay_ok_" + s.Suffix, vend.IdempotencyKey);
        Assert.Equal("sandbox:pay_ok_" + s.Suffix, vend.PaymentReference);
        Assert.Equal(10000, vend.AmountMinor);
        Assert.Matches("^[0-9]{20}$", vend.Token!);
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
    }

    [Fact]
    public async Task A_callback_with_a_bad_signature_or_a_tampered_body_vends_nothing()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_bad_" + s.Suffix, "pay_bad_" + s.Suffix, approved: true);

        var wrongSecret = await PostAsync(body, Sign(body, secret: "not-the-sandbox-secret-but-long-enough-0123"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Contains("urn:prepay:problem:bad-signature", wrongSecret.Body, StringComparison.Ordinal);

        // Signed for 100.00, sent with 1.00 (or the other way round): the signature no longer matches the body.
        var tampered = await PostAsync(body.Replace("\"100.00\"", "\"1.00\"", StringComparison.Ordinal), Sign(body));
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.Status);

        var unsigned = await PostAsync(body, signature: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);

        var garbled = await PostAsync(body, "t=123,v1=zz");
        Assert.Equal(HttpStatusCode.Unauthorized, garbled.Status);

        var state = await StateAsync(s, session);
        Assert.Equal((PaymentStatus.Pending, 0, 0), state);
        await AssertAuditedRefusalsAsync(session, expectedAtLeast: 0);
    }

    [Fact]
    public async Task A_callback_signed_outside_the_time_window_vends_nothing()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_old_" + s.Suffix, "pay_old_" + s.Suffix, approved: true);
        var now = server.Clock.GetCurrentInstant();

        var stale = await PostAsync(body, Sign(body, now - Duration.FromMinutes(6)));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.Status);
        Assert.Contains("urn:prepay:problem:stale-callback", stale.Body, StringComparison.Ordinal);

        var future = await PostAsync(body, Sign(body, now + Duration.FromMinutes(6)));
        Assert.Equal(HttpStatusCode.Unauthorized, future.Status);
        Assert.Contains("urn:prepay:problem:stale-callback", future.Body, StringComparison.Ordinal);

        Assert.Equal((PaymentStatus.Pending, 0, 0), await StateAsync(s, session));

        // The same callback signed now is taken: the window, not the body, was the problem.
        var fresh = await PostAsync(body, Sign(body, now - Duration.FromMinutes(4)));
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        Assert.Equal((PaymentStatus.Vended, 1, 1), await StateAsync(s, session));
    }

    [Fact]
    public async Task A_replayed_callback_changes_nothing()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_twice_" + s.Suffix, "pay_twice_" + s.Suffix, approved: true);
        var signature = Sign(body);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body, signature)).Status);
        var before = await SnapshotAsync(s, session);

        // The identical request again, and the same callback id signed anew: both are replays.
        var replay = await PostAsync(body, signature);
        Assert.Equal(HttpStatusCode.OK, replay.Status);
        Assert.Contains("\"effect\":\"duplicate\"", replay.Body, StringComparison.Ordinal);
        var resigned = await PostAsync(body, Sign(body, server.Clock.GetCurrentInstant() + Duration.FromSeconds(30)));
        Assert.Contains("\"effect\":\"duplicate\"", resigned.Body, StringComparison.Ordinal);

        Assert.Equal(before, await SnapshotAsync(s, session));
        Assert.Equal((PaymentStatus.Vended, 1, 1), await StateAsync(s, session));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_callback_make_one_vend()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_race_" + s.Suffix, "pay_race_" + s.Suffix, approved: true);
        var signature = Sign(body);
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(body, signature)));
        Assert.All(results, r => Assert.True(r.Status == HttpStatusCode.OK, r.Body));
        Assert.Single(results, r => r.Body.Contains("\"effect\":\"approved\"", StringComparison.Ordinal));
        Assert.Equal((PaymentStatus.Vended, 1, 1), await StateAsync(s, session));
    }

    [Fact]
    public async Task A_declined_payment_vends_nothing_and_a_later_approval_of_it_is_ignored()
    {
        var (s, session) = await SessionAsync();
        var declined = Body(session, "cb_no_" + s.Suffix, "pay_no_" + s.Suffix, approved: false);
        var first = await PostAsync(declined, Sign(declined));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Contains("\"status\":\"declined\"", first.Body, StringComparison.Ordinal);
        Assert.Equal((PaymentStatus.Declined, 0, 1), await StateAsync(s, session));

        // A genuine but different callback cannot turn a decided session round.
        var approved = Body(session, "cb_late_" + s.Suffix, "pay_late_" + s.Suffix, approved: true);
        var late = await PostAsync(approved, Sign(approved));
        Assert.Equal(HttpStatusCode.OK, late.Status);
        Assert.Contains("\"effect\":\"ignored\"", late.Body, StringComparison.Ordinal);
        Assert.Equal((PaymentStatus.Declined, 0, 2), await StateAsync(s, session));
    }

    [Fact]
    public async Task A_signed_callback_for_another_amount_or_an_unknown_session_vends_nothing()
    {
        var (s, session) = await SessionAsync();
        var other = Body(session, "cb_amount_" + s.Suffix, "pay_amount_" + s.Suffix, approved: true, amount: "1.00");
        var mismatch = await PostAsync(other, Sign(other));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, mismatch.Status);
        Assert.Contains("urn:prepay:problem:payment-mismatch", mismatch.Body, StringComparison.Ordinal);

        var unknown = Body(Guid.NewGuid(), "cb_nowhere_" + s.Suffix, "pay_nowhere_" + s.Suffix, approved: true);
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(unknown, Sign(unknown))).Status);

        Assert.Equal((PaymentStatus.Pending, 0, 0), await StateAsync(s, session));
        await AssertAuditedRefusalsAsync(session, expectedAtLeast: 1);
    }

    [Fact]
    public async Task The_sandbox_checkout_pays_a_test_card_through_its_signed_callback_and_declines_the_decline_card()
    {
        var gateway = server.Services.GetRequiredService<SandboxGateway>();
        var (paid, paidSession) = await SessionAsync();
        var result = Assert.IsType<SandboxResult.Decided>(await gateway.PayAsync(paidSession, new SandboxPayment.Card("4242 4242 4242 4242", "12/30", "123"), Ct));
        Assert.True(result.Approved);
        Assert.True(result.CallbackDelivered);
        Assert.StartsWith($"/pay/{paidSession:D}?key=", result.ReturnAddress, StringComparison.Ordinal);
        Assert.Equal((PaymentStatus.Vended, 1, 1), await StateAsync(paid, paidSession));

        var (declined, declinedSession) = await SessionAsync();
        var no = Assert.IsType<SandboxResult.Decided>(await gateway.PayAsync(declinedSession, new SandboxPayment.Card(TestCards.Declines, "12/30", "123"), Ct));
        Assert.False(no.Approved);
        Assert.Equal((PaymentStatus.Declined, 0, 1), await StateAsync(declined, declinedSession));

        // Not a test card, or a paid checkout paid again: refused at the checkout, nothing sent.
        var (other, otherSession) = await SessionAsync();
        Assert.IsType<SandboxResult.Invalid>(await gateway.PayAsync(otherSession, new SandboxPayment.Card("4111 1111 1111 1111", "12/30", "123"), Ct));
        Assert.IsType<SandboxResult.Closed>(await gateway.PayAsync(paidSession, new SandboxPayment.Card(TestCards.Approves, "12/30", "123"), Ct));
        Assert.Equal((PaymentStatus.Pending, 0, 0), await StateAsync(other, otherSession));
        Assert.Equal((PaymentStatus.Vended, 1, 1), await StateAsync(paid, paidSession));
    }

    [Fact]
    public async Task The_same_checkout_form_sent_twice_opens_one_session()
    {
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var checkout = server.Services.GetRequiredService<CheckoutService>();
        var key = "form-" + s.Suffix;
        var first = Assert.IsType<CheckoutOutcome.Started>(await checkout.StartAsync(new CheckoutRequest(key, s.MeterNumber, "50.00", PaymentOrigins.Recharge, null, "test"), Ct));
        var again = Assert.IsType<CheckoutOutcome.Started>(await checkout.StartAsync(new CheckoutRequest(key, s.MeterNumber, "50.00", PaymentOrigins.Recharge, null, "test"), Ct));
        Assert.Equal(first.SessionId, again.SessionId);
        var changed = Assert.IsType<CheckoutOutcome.Refused>(await checkout.StartAsync(new CheckoutRequest(key, s.MeterNumber, "60.00", PaymentOrigins.Recharge, null, "test"), Ct));
        Assert.Equal("key-reused", changed.Code);
        // A portal payer may pay only for their own meter.
        var foreign = Assert.IsType<CheckoutOutcome.Refused>(await checkout.StartAsync(
            new CheckoutRequest("form2-" + s.Suffix, s.MeterNumber, "50.00", PaymentOrigins.Portal, Guid.NewGuid(), "test"), Ct));
        Assert.Equal("not-found", foreign.Code);
    }

    [Fact]
    public async Task A_paid_session_whose_vend_is_refused_is_kept_for_staff_and_vends_nothing()
    {
        // A meter taken out of service after the checkout opened: the payment is approved, the vend is refused.
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var loose = "0500" + Random.Shared.NextInt64(10_000_000, 100_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) + "0";
        using (var admin = server.Client())
        {
            await Scenario.Ok(await admin.PostAsync("/api/v1/meters", JsonContent(new { meterNumber = loose, mode = "token", currency = "ZAR", tariffCode = s.TariffCode }), Ct));
        }
        var session = await InsertSessionAsync(loose, PaymentStatus.Pending, null);
        var body = Body(session, "cb_refused_" + s.Suffix, "pay_refused_" + s.Suffix, approved: true);
        var answer = await PostAsync(body, Sign(body));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Contains("\"status\":\"vendfailed\"", answer.Body, StringComparison.Ordinal);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var stored = await db.PaymentSessions.SingleAsync(x => x.Id == session, Ct);
        Assert.Equal(PaymentStatus.VendFailed, stored.Status);
        Assert.False(string.IsNullOrEmpty(stored.Failure));
        Assert.Null(stored.VendId);
        Assert.Equal(0, await db.Vends.CountAsync(v => v.MeterNumber == loose, Ct));
        Assert.True(await db.Audit.AnyAsync(a => a.Action == "payment.vend.failed" && a.Target == $"payment/{session}", Ct));
    }

    [Fact]
    public async Task An_approved_session_left_without_its_vend_is_completed_once_by_the_payers_result_page()
    {
        // As after a crash between the callback's commit and its vend: approved, with a payment id, no vend.
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var session = await InsertSessionAsync(s.MeterNumber, PaymentStatus.Approved, "pay_crash_" + s.Suffix);
        var results = server.Services.GetRequiredService<PaymentResults>();
        string accessKey;
        await using (var scope = server.Scope())
        {
            accessKey = await scope.ServiceProvider.GetRequiredService<PrepayDb>().PaymentSessions.Where(x => x.Id == session).Select(x => x.AccessKey).SingleAsync(Ct);
        }

        Assert.Null(await results.FindAsync(session, "not-the-key", Ct));
        Assert.Equal((PaymentStatus.Approved, 0, 0), await StateAsync(s, session));
        var shown = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => results.FindAsync(session, accessKey, Ct)));
        Assert.All(shown, r => Assert.Equal(PaymentStatus.Vended, r!.Status));
        Assert.Single(shown.Select(r => r!.Vend!.Token).Distinct());
        Assert.Equal((PaymentStatus.Vended, 1, 0), await StateAsync(s, session));
    }

    [Fact]
    public async Task Staff_retry_a_paid_but_unvended_payment_once_its_cause_is_fixed_and_it_vends_once()
    {
        // Its vend failed earlier (the float was empty then); the meter can be sold to now.
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var session = await InsertSessionAsync(s.MeterNumber, PaymentStatus.VendFailed, "pay_retry_" + s.Suffix);
        using var admin = server.Client();
        var failed = (await Scenario.Ok(await admin.GetAsync("/api/v1/payments?status=vendFailed&limit=500", Ct))).AsArray();
        Assert.Contains(failed, p => p!["id"]!.GetValue<Guid>() == session);

        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsync($"/api/v1/payments/{session}/retry", JsonContent(new { reason = "float topped up" }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync($"/api/v1/payments/{session}/retry", JsonContent(new { reason = " " }), Ct)).StatusCode);
        Assert.Equal((PaymentStatus.VendFailed, 0, 0), await StateAsync(s, session));

        // Two clerks press retry at once: one vend.
        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => admin.PostAsync($"/api/v1/payments/{session}/retry", JsonContent(new { reason = "float topped up" }), Ct)));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var done = await Scenario.Ok(answers.Single(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal("vended", done["status"]!.GetValue<string>());
        Assert.Equal((PaymentStatus.Vended, 1, 0), await StateAsync(s, session));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/payments/{session}/refund", JsonContent(new { reason = "asked", refundReference = "rf_1" }), Ct)).StatusCode);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "payment.vend.retry" && a.Target == $"payment/{session}", Ct));
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
    }

    [Fact]
    public async Task A_paid_but_unvended_payment_marked_refunded_is_never_vended_after()
    {
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var session = await InsertSessionAsync(s.MeterNumber, PaymentStatus.VendFailed, "pay_refund_" + s.Suffix);
        using var admin = server.Client();

        var missing = await admin.PostAsync($"/api/v1/payments/{session}/refund", JsonContent(new { reason = "customer asked" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("refundReference", await missing.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/v1/payments/{Guid.NewGuid()}/refund", JsonContent(new { reason = "x", refundReference = "rf" }), Ct)).StatusCode);

        var refunded = await Scenario.Ok(await admin.PostAsync($"/api/v1/payments/{session}/refund", JsonContent(new { reason = "customer asked", refundReference = "rf_" + s.Suffix }), Ct));
        Assert.Equal("refunded", refunded["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/v1/payments/{session}/retry", JsonContent(new { reason = "oops" }), Ct)).StatusCode);
        // The payer's result page does not complete it either.
        await server.Services.GetRequiredService<PaymentVends>().CompleteAsync(session, Ct);
        Assert.Equal((PaymentStatus.Refunded, 0, 0), await StateAsync(s, session));

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var audit = await db.Audit.SingleAsync(a => a.Action == "payment.refunded" && a.Target == $"payment/{session}", Ct);
        Assert.Contains("rf_" + s.Suffix, audit.Details, StringComparison.Ordinal);
    }

    private async Task<Guid> InsertSessionAsync(string meterNumber, PaymentStatus status, string? paymentId)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meter = await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => m.Id).SingleAsync(Ct);
        var now = server.Clock.GetCurrentInstant();
        var session = new PaymentSession
        {
            Id = Guid.CreateVersion7(), Provider = SandboxProvider.ProviderName, Status = status, Origin = PaymentOrigins.Recharge,
            IdempotencyKey = "direct-" + Guid.NewGuid().ToString("N"), RequestHash = new string('0', 64), AccessKey = Guid.NewGuid().ToString("N"),
            MeterId = meter, MeterNumber = meterNumber, CustomerId = Guid.NewGuid(), AmountMinor = 10000, Currency = "ZAR",
            CreatedAt = now, ExpiresAt = now + Duration.FromMinutes(30), ProviderPaymentId = paymentId, DecidedAt = paymentId is null ? null : now,
        };
        db.PaymentSessions.Add(session);
        await db.SaveChangesAsync(Ct);
        return session.Id;
    }

    [Fact]
    public async Task A_vend_paid_online_is_not_reversed_directly_and_the_refusal_points_to_a_refund_of_the_payment()
    {
        var (s, session) = await SessionAsync();
        var body = Body(session, "cb_rev_" + s.Suffix, "pay_rev_" + s.Suffix, approved: true);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(body, Sign(body))).Status);
        Guid vendId;
        await using (var scope = server.Scope())
        {
            vendId = (await scope.ServiceProvider.GetRequiredService<PrepayDb>().PaymentSessions.SingleAsync(x => x.Id == session, Ct)).VendId!.Value;
        }
        using var admin = server.Client();
        using var response = await admin.PostAsync($"/api/v1/vends/{vendId}/reversal", JsonContent(new { reason = "payer asked for the money back" }), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Conflict, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("urn:prepay:problem:paid-online", text, StringComparison.Ordinal);
        Assert.Contains($"/api/v1/payments/{session}/refund-requests", text, StringComparison.Ordinal);
        await using var check = server.Scope();
        var db = check.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.False(await db.VendReversals.AnyAsync(r => r.VendId == vendId, Ct));
        Assert.False(await db.MoneyApprovals.AnyAsync(a => a.Target == $"vend/{vendId}", Ct));
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private async Task<(Scenario Scenario, Guid SessionId)> SessionAsync(string amount = "100.00")
    {
        var s = await Scenario.CreateAsync(server);
        await server.EnsureVendorAsync();
        var checkout = server.Services.GetRequiredService<CheckoutService>();
        var outcome = await checkout.StartAsync(new CheckoutRequest("test-" + s.Suffix, s.MeterNumber, amount, PaymentOrigins.Recharge, null, "test"), Ct);
        var started = Assert.IsType<CheckoutOutcome.Started>(outcome);
        Assert.Equal($"/sandbox/checkout/{started.SessionId:D}", started.CheckoutAddress);
        return (s, started.SessionId);
    }

    private static string Body(Guid session, string callbackId, string paymentId, bool approved, string amount = "100.00") =>
        JsonSerializer.Serialize(new
        {
            id = callbackId, type = approved ? "payment.approved" : "payment.declined", sessionId = session, paymentId, amount, currency = "ZAR", method = "card •••• 4242",
        });

    private string Sign(string body, Instant? at = null, string secret = PaymentsServer.TestSecret) =>
        CallbackSignature.Sign(secret, (at ?? server.Clock.GetCurrentInstant()).ToUnixTimeSeconds(), body);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string body, string? signature)
    {
        using var client = server.Client(apiKey: null);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/callbacks/sandbox") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(SandboxProvider.SignatureHeader, signature);
        }
        using var response = await client.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<(PaymentStatus Status, int Vends, int Callbacks)> StateAsync(Scenario s, Guid session)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return (await db.PaymentSessions.Where(x => x.Id == session).Select(x => x.Status).SingleAsync(Ct),
            await db.Vends.CountAsync(v => v.MeterNumber == s.MeterNumber, Ct),
            await db.PaymentCallbacks.CountAsync(c => c.SessionId == session, Ct));
    }

    /// <summary>Everything a replay could touch: the session row, the vends, the callbacks and the ledger.</summary>
    private async Task<string> SnapshotAsync(Scenario s, Guid session)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var row = await db.PaymentSessions.AsNoTracking().SingleAsync(x => x.Id == session, Ct);
        var vends = await db.Vends.AsNoTracking().Where(v => v.MeterNumber == s.MeterNumber).Select(v => v.Id).ToListAsync(Ct);
        var callbacks = await db.PaymentCallbacks.AsNoTracking().Where(c => c.SessionId == session).Select(c => c.CallbackId + c.Effect).ToListAsync(Ct);
        var postings = await db.Postings.CountAsync(Ct);
        return JsonSerializer.Serialize(new { row.Status, row.VendId, row.ProviderPaymentId, row.DecidedAt, vends, callbacks, postings });
    }

    private async Task AssertAuditedRefusalsAsync(Guid session, int expectedAtLeast)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var refusals = await db.Audit.CountAsync(a => a.Action == "payment.callback.refused", Ct);
        Assert.True(refusals >= Math.Max(1, expectedAtLeast), $"{refusals} refusals audited");
        Assert.False(await db.Audit.AnyAsync(a => a.Action == "payment.callback" && a.Target == $"payment/{session}", Ct));
    }
}

public sealed class PaymentCallbackSqliteTests(PaymentsSqliteServer server) : PaymentCallbackTests(server), IClassFixture<PaymentsSqliteServer>;

public sealed class PaymentCallbackPostgresTests(PaymentsPostgresServer server) : PaymentCallbackTests(server), IClassFixture<PaymentsPostgresServer>;
