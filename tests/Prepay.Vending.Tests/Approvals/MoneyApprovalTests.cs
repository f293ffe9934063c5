using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Approvals;

/// <summary>
/// Debts and token reversals need two people: capped loads, write-offs to the write-off account, reversals approved
/// with the rules checked again at approval; the ledger stays balanced and every step is audited with the actor's id.
/// </summary>
public abstract class MoneyApprovalTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<T> InDb<T>(Func<PrepayDb, Task<T>> query)
    {
        await using var scope = server.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<PrepayDb>());
    }

    private async Task AssertLedgerBalancedAsync() => Assert.Empty(await InDb(db => LedgerStore.VerifyAsync(db, Ct)));

    private async Task<string> OwedAsync(HttpClient admin, Guid customer) =>
        (await Ok(await admin.GetAsync($"/api/v1/customers/{customer}/account?currency=ZAR", Ct)))["debtOutstanding"]!.GetValue<string>();

    private static Task<HttpResponseMessage> AskDebtAsync(HttpClient admin, Guid customer, string path, string amount, string reason = "arrears") =>
        admin.PostAsJsonAsync($"/api/v1/customers/{customer}/{path}", new { amount, currency = "ZAR", reason }, Ct);

    private static async Task<JsonNode> Problem(HttpStatusCode status, HttpResponseMessage response)
    {
        var body = await Json(response);
        Status(status, response, body.ToJsonString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    [Fact]
    public async Task A_debt_load_waits_for_a_second_admin_and_is_capped_per_load_and_per_customer()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        var requested = await Json(await AskDebtAsync(admin, s.CustomerId, "debts", "6000.00"));
        Assert.Equal("debt-load", requested["kind"]!.GetValue<string>());
        Assert.Equal("0.00", await OwedAsync(admin, s.CustomerId));
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct)).StatusCode);
        await ApproveAsync(server, requested);
        Assert.Equal("6000.00", await OwedAsync(admin, s.CustomerId));

        var requests = await InDb(db => db.MoneyApprovals.CountAsync(Ct));
        var overLoad = await Problem(HttpStatusCode.UnprocessableEntity, await AskDebtAsync(admin, s.CustomerId, "debts", "10000.01"));
        Assert.Equal("urn:prepay:problem:over-debt-load-cap", overLoad["type"]!.GetValue<string>());
        // The customer cap (50 000 by default) counts what is owed and what is pending.
        var pending = await Json(await AskDebtAsync(admin, s.CustomerId, "debts", "10000.00"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await AskDebtAsync(admin, s.CustomerId, "debts", "10000.00")).StatusCode);
        }
        // 6 000 + 40 000 pending: 4 000.01 more passes 50 000.
        var overCustomer = await Problem(HttpStatusCode.UnprocessableEntity, await AskDebtAsync(admin, s.CustomerId, "debts", "4000.01"));
        Assert.Equal("urn:prepay:problem:over-customer-debt-cap", overCustomer["type"]!.GetValue<string>());
        Assert.Equal(requests + 4, await InDb(db => db.MoneyApprovals.CountAsync(Ct)));
        await ApproveAsync(server, pending);
        Assert.Equal("16000.00", await OwedAsync(admin, s.CustomerId));
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Debt_is_written_off_to_the_write_off_account_once_approved_and_never_more_than_is_owed()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        await ApproveAsync(server, await Json(await AskDebtAsync(admin, s.CustomerId, "debts", "300.00")));

        await Problem(HttpStatusCode.UnprocessableEntity, await AskDebtAsync(admin, s.CustomerId, "debt-write-offs", "300.01", "moved away"));
        var writeOff = await Json(await AskDebtAsync(admin, s.CustomerId, "debt-write-offs", "120.00", "moved away, no forwarding address"));
        Assert.Equal("debt-write-off", writeOff["kind"]!.GetValue<string>());
        // With 120.00 pending, at most 180.00 more may be asked for.
        await Problem(HttpStatusCode.UnprocessableEntity, await AskDebtAsync(admin, s.CustomerId, "debt-write-offs", "180.01", "again"));
        Assert.Equal("300.00", await OwedAsync(admin, s.CustomerId));

        var writeOffsBefore = await InDb(db => LedgerStore.BalanceAsync(db, AccountCode.DebtWriteOff("ZAR"), Ct));
        var approved = await ApproveAsync(server, writeOff);
        Assert.StartsWith("transaction ", approved["result"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("180.00", await OwedAsync(admin, s.CustomerId));
        Assert.Equal(writeOffsBefore - 120_00, await InDb(db => LedgerStore.BalanceAsync(db, AccountCode.DebtWriteOff("ZAR"), Ct)));
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_write_off_is_checked_again_at_approval_against_what_is_owed_then()
    {
        var s = await CreateAsync(server, tariff: DebtTariff);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        await ApproveAsync(server, await Json(await AskDebtAsync(admin, s.CustomerId, "debts", "100.00")));
        var writeOff = await Json(await AskDebtAsync(admin, s.CustomerId, "debt-write-offs", "100.00", "hardship"));
        // A purchase recovers 25.00 meanwhile: only 75.00 is owed when the approver looks.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        using var approver = server.Client(await server.ApproverKeyAsync());
        var refused = await Problem(HttpStatusCode.Conflict, await approver.PostAsync($"/api/v1/approvals/{writeOff["id"]}/approve", null, Ct));
        Assert.Equal("urn:prepay:problem:more-than-owed", refused["type"]!.GetValue<string>());
        Assert.Equal("75.00", await OwedAsync(admin, s.CustomerId));
        Assert.Equal("requested", (await Ok(await admin.GetAsync($"/api/v1/approvals/{writeOff["id"]}", Ct)))["state"]!.GetValue<string>());
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_token_vend_reversal_is_refused_at_approval_once_its_window_has_closed()
    {
        var s = await CreateAsync(server, floatAmount: "100.00");
        using var vendor = server.Client(s.VendorKey);
        using var admin = server.Client();
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
        var requested = await Json(await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "wrong meter" }, Ct));
        var reversals = await InDb(db => db.VendReversals.CountAsync(Ct));
        server.Clock.Advance(Duration.FromMinutes(31));
        using var approver = server.Client(await server.ApproverKeyAsync());
        var refused = await Problem(HttpStatusCode.Conflict, await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct));
        Assert.Equal("urn:prepay:problem:reversal-window-closed", refused["type"]!.GetValue<string>());
        Assert.Equal(reversals, await InDb(db => db.VendReversals.CountAsync(Ct)));
        Assert.Equal("50.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task A_token_vend_reversal_asked_with_the_longest_reason_is_approved_and_keeps_who_asked()
    {
        var s = await CreateAsync(server, floatAmount: "100.00");
        using var vendor = server.Client(s.VendorKey);
        using var admin = server.Client();
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        var reason = new string('r', Prepay.Vending.Reversals.ReversalService.MaxReasonLength);
        var requested = await Json(await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason }, Ct));
        var approved = await ApproveAsync(server, requested);
        Assert.Equal("approved", approved["state"]!.GetValue<string>());
        var vendId = vend["id"]!.GetValue<Guid>();
        var stored = await InDb(db => db.VendReversals.Where(r => r.VendId == vendId).Select(r => r.Reason).SingleAsync(Ct));
        Assert.True(stored.Length <= Prepay.Vending.Reversals.ReversalService.MaxReasonLength, $"{stored.Length} characters");
        Assert.Matches(@"^r+… \(asked by .+\)$", stored);
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task An_approved_token_vend_reversal_is_audited_at_request_and_decision_with_the_keys_ids()
    {
        var s = await CreateAsync(server, floatAmount: "100.00");
        using var vendor = server.Client(s.VendorKey);
        using var admin = server.Client();
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        var requested = await Json(await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "paid twice" }, Ct));
        var approved = await ApproveAsync(server, requested);
        Assert.StartsWith("reversal transaction ", approved["result"]!.GetValue<string>(), StringComparison.Ordinal);

        var vendTarget = $"vend/{vend["id"]}";
        var approvalTarget = $"approval/{requested["id"]}";
        // The money's trail: reads of the vend's token are audited too, but are not steps of the reversal.
        var rows = await InDb(db => db.Audit.AsNoTracking().Where(a => (a.Target == vendTarget || a.Target == approvalTarget) && a.Action != "token.read").OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal(["vend.create", "approval.request", "vend.reverse", "approval.approve"], rows.Select(r => r.Action));
        var vendorKeyId = await InDb(db => db.ApiKeys.Where(k => k.Name == "till-" + s.Suffix).Select(k => k.Id).SingleAsync(Ct));
        Assert.Equal(vendorKeyId, rows[0].ActorId);
        Assert.Equal(requested["requestedBy"]!.GetValue<Guid>(), rows[1].ActorId);
        Assert.Equal(approved["decidedBy"]!.GetValue<Guid>(), rows[2].ActorId);
        Assert.Equal(approved["decidedBy"]!.GetValue<Guid>(), rows[3].ActorId);
        Assert.All(rows, r => Assert.NotNull(r.ActorId));
        await AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task Goodwill_credit_is_a_vend_from_the_goodwill_float_within_the_monthly_budget_once_a_second_admin_approves()
    {
        var s = await CreateAsync(server, floatAmount: "100.00");
        using var admin = server.Client();
        await EnsureGoodwillVendorAsync(admin);
        var goodwill = server.Services.GetRequiredService<Prepay.Vending.Approvals.GoodwillCredits>();
        var requester = new Actor(Guid.NewGuid(), "person/ana", Role.Admin, null, null);
        var requested = Assert.IsType<Prepay.Vending.Approvals.ApprovalOutcome.Requested>(await goodwill.RequestAsync(s.MeterNumber, "30.00", "outage on 22 November", requester, Ct));
        Assert.Equal("goodwill-credit", requested.Approval.Kind);
        // The reseller's float pays nothing, whoever approves.
        var resellerFloat = (await Ok(await admin.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>();
        var approvals = server.Services.GetRequiredService<Prepay.Vending.Approvals.MoneyApprovals>();
        Assert.IsType<Prepay.Vending.Approvals.ApprovalOutcome.OwnRequest>(await approvals.ApproveAsync(requested.Approval.Id, requester, Ct));

        var goodwillBefore = (await Ok(await admin.GetAsync("/api/v1/vendors/GOODWILL", Ct)))["float"]!.GetValue<string>();
        using var approver = server.Client(await server.ApproverKeyAsync());
        var approved = await Ok(await approver.PostAsync($"/api/v1/approvals/{requested.Approval.Id}/approve", null, Ct));
        Assert.StartsWith("vend ", approved["result"]!.GetValue<string>(), StringComparison.Ordinal);
        var vendId = Guid.Parse(approved["result"]!.GetValue<string>()["vend ".Length..]);
        var vend = await InDb(db => db.Vends.AsNoTracking().SingleAsync(v => v.Id == vendId, Ct));
        Assert.Equal(s.MeterNumber, vend.MeterNumber);
        Assert.Equal(30_00, vend.AmountMinor);
        Assert.Equal(await InDb(db => db.Vendors.Where(v => v.Code == "GOODWILL").Select(v => v.Id).SingleAsync(Ct)), vend.VendorId);
        Assert.Equal(resellerFloat, (await Ok(await admin.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        Assert.NotEqual(goodwillBefore, (await Ok(await admin.GetAsync("/api/v1/vendors/GOODWILL", Ct)))["float"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await approver.PostAsync($"/api/v1/approvals/{requested.Approval.Id}/approve", null, Ct)).StatusCode);
        Assert.Equal(1, await InDb(db => db.Vends.CountAsync(v => v.IdempotencyKey == $"goodwill-{requested.Approval.Id:N}", Ct)));

        // The budget (5 000 a month by default) counts what was given and what waits.
        var over = await goodwill.RequestAsync(s.MeterNumber, "4970.01", "too generous", requester, Ct);
        Assert.Equal("over-goodwill-budget", Assert.IsType<Prepay.Vending.Approvals.ApprovalOutcome.OverLimit>(over).Code);
        await AssertLedgerBalancedAsync();
    }

    private async Task EnsureGoodwillVendorAsync(HttpClient admin)
    {
        if ((await admin.GetAsync("/api/v1/vendors/GOODWILL", Ct)).StatusCode == HttpStatusCode.NotFound)
        {
            await Ok(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = "GOODWILL", name = "Goodwill credit", channel = "web", currency = "ZAR", commissionBasisPoints = 0 }, Ct));
            await DepositAsync(server, "GOODWILL", "1000.00", "goodwill budget");
        }
    }
}

public sealed class MoneyApprovalSqliteTests(SqliteServer server) : MoneyApprovalTests(server), IClassFixture<SqliteServer>;

public sealed class MoneyApprovalPostgresTests(PostgresServer server) : MoneyApprovalTests(server), IClassFixture<PostgresServer>;
