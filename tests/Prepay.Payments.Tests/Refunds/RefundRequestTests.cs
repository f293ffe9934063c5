using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.HeadEnd.Commands;
using Prepay.Payments.Refunds;
using Prepay.Payments.Sandbox;
using Prepay.Storage.Records.Approvals;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Payments;
using static Prepay.Payments.Tests.Refunds.RefundSteps;

namespace Prepay.Payments.Tests.Refunds;

/// <summary>
/// A vend paid online is undone by refunding its payment, and that needs two people: one asks (with an
/// Idempotency-Key), another admin approves; the approval reverses the vend, records the amount owed to the payer and
/// the refund in one transaction, and the provider is called only after it committed. Every step is audited by id.
/// </summary>
public abstract class RefundRequestTests(PaymentsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RefundDispatcher Dispatcher => server.Services.GetRequiredService<RefundDispatcher>();
    private SandboxRefunds Sandbox => server.Services.GetRequiredService<SandboxRefunds>();

    [Fact]
    public async Task A_refund_approved_by_a_second_admin_reverses_the_vend_owes_the_payer_and_is_paid_by_the_provider()
    {
        var p = await OnlinePayment.PayAsync(server);
        await Dispatcher.DispatchOnceAsync(Ct); // refunds other tests approved are paid now, not in the round measured below
        var (owed, onlineFloat) = (await OwedAsync(server), await OnlineFloatAsync(server));

        var requested = await RequestedAsync(server, p);
        Assert.Equal(("payment-refund", "requested", "100.00"), (requested["kind"]!.GetValue<string>(), requested["state"]!.GetValue<string>(), requested["amount"]!.GetValue<string>()));
        Assert.Null((await PaymentAsync(server, p))["refund"]);
        Assert.Equal(owed, await OwedAsync(server));

        var approved = await DecideAsync(server, requested, "approve");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Requested, 0, p.ProviderPaymentId, 10000L), (refund.State, refund.Attempts, refund.ProviderPaymentId, refund.AmountMinor));
        Assert.True(await InDb(server, db => db.VendReversals.AnyAsync(r => r.VendId == p.VendId, Ct)));
        // The sale's money came back to the online float and left it again, owed to the payer until the provider pays.
        Assert.Equal((owed + 10000, onlineFloat), (await OwedAsync(server), await OnlineFloatAsync(server)));
        await AssertLedgerBalancedAsync(server);
        Assert.Empty(Sandbox.Of(p.ProviderPaymentId));

        await Dispatcher.DispatchOnceAsync(Ct);
        refund = (await RefundAsync(server, p))!;
        Assert.Equal((RefundState.Refunded, 1), (refund.State, refund.Attempts));
        var paid = Assert.Single(Sandbox.Of(p.ProviderPaymentId));
        Assert.Equal((refund.Id.ToString("N"), refund.ProviderReference), (paid.IdempotencyKey, paid.Reference));
        Assert.Equal(owed, await OwedAsync(server));
        await AssertLedgerBalancedAsync(server);

        var shown = (await PaymentAsync(server, p))["refund"]!;
        Assert.Equal(("refunded", paid.Reference), (shown["state"]!.GetValue<string>(), shown["providerReference"]!.GetValue<string>()));

        var audit = await InDb(server, db => db.Audit.AsNoTracking()
            .Where(a => a.Target == $"payment/{p.PaymentId}" || a.Target == $"approval/{requested["id"]}" || a.Target == $"vend/{p.VendId}")
            .Where(a => a.Action != "token.read").OrderBy(a => a.Id).ToListAsync(Ct));
        // From the request on (the sale's own rows come before it).
        Assert.Equal(["approval.request", "payment.refund.request", "vend.reverse", "payment.refund.approve", "approval.approve", "payment.refund.refunded"],
            audit.Select(a => a.Action).SkipWhile(a => a != "approval.request").ToArray());
        var asked = audit.Single(a => a.Action == "payment.refund.request").ActorId;
        var decided = audit.Single(a => a.Action == "approval.approve").ActorId;
        Assert.NotNull(asked);
        Assert.NotNull(decided);
        Assert.NotEqual(asked, decided);
        Assert.All(audit.Where(a => a.Action is "vend.reverse" or "payment.refund.approve"), a => Assert.Equal(decided, a.ActorId));
    }

    [Fact]
    public async Task The_admin_who_asked_cannot_approve_the_refund_and_nothing_moves()
    {
        var p = await OnlinePayment.PayAsync(server);
        var requested = await RequestedAsync(server, p);
        await ProblemAsync(HttpStatusCode.Forbidden, await DecideAsync(server, requested, "approve", key: Testing.ServerFixture.AdminKey), "own-request");
        Assert.Null(await RefundAsync(server, p));
        Assert.False(await InDb(server, db => db.VendReversals.AnyAsync(r => r.VendId == p.VendId, Ct)));
        Assert.Equal("requested", (await Testing.Scenario.Json(await server.Client().GetAsync($"/api/v1/approvals/{requested["id"]}", Ct)))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refund_request_is_idempotent_by_its_key_and_a_key_reused_for_another_body_is_refused()
    {
        var p = await OnlinePayment.PayAsync(server);
        using var admin = server.Client();
        var key = "refund-twice-" + p.Scenario.Suffix;
        var first = await AskAsync(admin, p.PaymentId, key);
        var again = await AskAsync(admin, p.PaymentId, key);
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, again.StatusCode));
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(again.Headers.GetValues("Idempotent-Replayed")));
        Assert.Equal((await Testing.Scenario.Json(first))["id"]!.GetValue<Guid>(), (await Testing.Scenario.Json(again))["id"]!.GetValue<Guid>());

        await ProblemAsync(HttpStatusCode.UnprocessableEntity, await AskAsync(admin, p.PaymentId, key, reason: "another reason"), "idempotency-key-reused");
        await ProblemAsync(HttpStatusCode.BadRequest, await AskAsync(admin, p.PaymentId, key: null), "validation");
        Assert.Equal(1, await InDb(server, db => db.MoneyApprovals.CountAsync(a => a.Target == $"payment/{p.PaymentId}", Ct)));
    }

    [Fact]
    public async Task A_payment_is_refunded_once_and_only_when_it_was_paid_and_vended()
    {
        var p = await OnlinePayment.PayAsync(server);
        using var admin = server.Client();
        var requested = await RequestedAsync(server, p);
        await ProblemAsync(HttpStatusCode.Conflict, await AskAsync(admin, p.PaymentId, "second-" + p.Scenario.Suffix), "refund-pending");
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(server, requested, "approve")).StatusCode);
        await ProblemAsync(HttpStatusCode.Conflict, await AskAsync(admin, p.PaymentId, "third-" + p.Scenario.Suffix), "already-refunded");
        // The reversal path finds the vend reversed by the refund, and writes nothing more.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync($"/api/v1/vends/{p.VendId}/reversal", new { reason = "again" }, Ct)).StatusCode);
        Assert.Equal(1, await InDb(server, db => db.VendReversals.CountAsync(r => r.VendId == p.VendId, Ct)));

        await ProblemAsync(HttpStatusCode.NotFound, await AskAsync(admin, Guid.NewGuid(), "unknown-" + p.Scenario.Suffix), "not-found");
        var unpaid = await InDb(server, db => db.PaymentSessions.Where(s => s.Status == PaymentStatus.Pending).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(Ct));
        if (unpaid is { } pending)
        {
            await ProblemAsync(HttpStatusCode.Conflict, await AskAsync(admin, pending, "unpaid-" + p.Scenario.Suffix), "not-vended");
        }
        Assert.Equal(1, await InDb(server, db => db.PaymentRefunds.CountAsync(r => r.PaymentId == p.PaymentId, Ct)));
        await AssertLedgerBalancedAsync(server);
    }

    [Fact]
    public async Task A_smart_vend_is_refunded_while_its_credit_is_queued_and_refused_once_the_meter_acknowledged_it()
    {
        var commands = server.Services.GetRequiredService<CommandDispatcher>();
        await commands.StopAsync(Ct);
        try
        {
            // Queued at approval: the command is withdrawn in the approval's transaction.
            var queued = await OnlinePayment.PayAsync(server, mode: "smart");
            Assert.Equal(HttpStatusCode.OK, (await DecideAsync(server, await RequestedAsync(server, queued), "approve")).StatusCode);
            Assert.Equal(CommandState.Cancelled, await CommandStateAsync(queued));

            // Acknowledged before the request: refused at once.
            var acknowledged = await OnlinePayment.PayAsync(server, mode: "smart");
            await AcknowledgeAsync(acknowledged);
            using var admin = server.Client();
            await ProblemAsync(HttpStatusCode.Conflict, await AskAsync(admin, acknowledged.PaymentId, "ack-" + acknowledged.Scenario.Suffix), "credit-sent-to-meter");

            // Acknowledged between request and approval: the approval checks again and moves nothing.
            var late = await OnlinePayment.PayAsync(server, mode: "smart");
            var requested = await RequestedAsync(server, late);
            await AcknowledgeAsync(late);
            var owed = await OwedAsync(server);
            await ProblemAsync(HttpStatusCode.Conflict, await DecideAsync(server, requested, "approve"), "credit-sent-to-meter");
            Assert.Null(await RefundAsync(server, late));
            Assert.Equal(owed, await OwedAsync(server));
            Assert.False(await InDb(server, db => db.VendReversals.AnyAsync(r => r.VendId == late.VendId, Ct)));
            await AssertLedgerBalancedAsync(server);
        }
        finally
        {
            await commands.StartAsync(Ct);
        }
    }

    [Fact]
    public async Task A_rejected_refund_request_reverses_nothing_and_the_provider_is_never_called()
    {
        var p = await OnlinePayment.PayAsync(server);
        await Dispatcher.DispatchOnceAsync(Ct); // refunds other tests approved are paid now, not in the round measured below
        var owed = await OwedAsync(server);
        var requested = await RequestedAsync(server, p);
        Assert.Equal(HttpStatusCode.OK, (await DecideAsync(server, requested, "reject")).StatusCode);
        await Dispatcher.DispatchOnceAsync(Ct);
        Assert.Null(await RefundAsync(server, p));
        Assert.Empty(Sandbox.Of(p.ProviderPaymentId));
        Assert.Equal(owed, await OwedAsync(server));
        Assert.False(await InDb(server, db => db.VendReversals.AnyAsync(r => r.VendId == p.VendId, Ct)));
        Assert.Equal(ApprovalState.Rejected, await InDb(server, db => db.MoneyApprovals.Where(a => a.Id == requested["id"]!.GetValue<Guid>()).Select(a => a.State).SingleAsync(Ct)));
    }

    private Task<CommandState> CommandStateAsync(OnlinePayment p) =>
        InDb(server, db => db.MeterCommands.Where(c => c.Reference == $"vend {p.VendId:N}").Select(c => c.State).SingleAsync(Ct));

    /// <summary>What the head-end records when the meter acknowledges its credit.</summary>
    private Task AcknowledgeAsync(OnlinePayment p) =>
        InDb(server, db => db.MeterCommands.Where(c => c.Reference == $"vend {p.VendId:N}")
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.State, CommandState.Acknowledged), Ct));
}

public sealed class RefundRequestSqliteTests(PaymentsSqliteServer server) : RefundRequestTests(server), IClassFixture<PaymentsSqliteServer>;

public sealed class RefundRequestPostgresTests(PaymentsPostgresServer server) : RefundRequestTests(server), IClassFixture<PaymentsPostgresServer>;
