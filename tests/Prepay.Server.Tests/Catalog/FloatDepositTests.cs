using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>
/// Float deposits need two people: one asks (202 with the request), another admin approves, and the float grows then,
/// exactly once; the one who asked cannot approve; a deposit over the cap is refused with nothing written. Run once per
/// database provider.
/// </summary>
public abstract class FloatDepositTests(ServerFixture server)
{
    private async Task<string> FloatOf(HttpClient admin, string vendor) =>
        (await Ok(await admin.GetAsync($"/api/v1/vendors/{vendor}", Ct)))["float"]!.GetValue<string>();

    private Task<int> TransactionCount() => InDb(server, db => db.LedgerTransactions.CountAsync(Ct));

    private async Task<(JsonNode Body, HttpResponseMessage Response)> AskAsync(HttpClient client, string vendor, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/vendors/{vendor}/float-deposits", body, Ct);
        return (await Json(response), response);
    }

    [Fact]
    public async Task A_deposit_is_asked_for_then_approved_by_another_admin_and_grows_the_float_once()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var transactions = await TransactionCount();
        var (requested, response) = await AskAsync(admin, s.VendorCode, new { amount = "250.50", reference = "EFT 1" });
        Status(HttpStatusCode.Accepted, response, requested.ToJsonString());
        Assert.Equal($"/api/v1/approvals/{requested["id"]}", response.Headers.Location?.OriginalString);
        Assert.Equal("requested", requested["state"]!.GetValue<string>());
        Assert.Equal("float-deposit", requested["kind"]!.GetValue<string>());
        Assert.Equal("0.00", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions, await TransactionCount());

        using var approver = server.Client(await server.ApproverKeyAsync());
        var approved = await Ok(await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct));
        Assert.Equal("approved", approved["state"]!.GetValue<string>());
        Assert.NotEqual(requested["requestedBy"]!.GetValue<Guid>(), approved["decidedBy"]!.GetValue<Guid>());
        Assert.Equal("250.50", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions + 1, await TransactionCount());

        // Approving again, or many at once, moves nothing more.
        var again = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct)));
        foreach (var r in again)
        {
            var problem = await Problem(HttpStatusCode.Conflict, r);
            Assert.Equal("urn:prepay:problem:already-decided", problem["type"]!.GetValue<string>());
        }
        Assert.Equal("250.50", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions + 1, await TransactionCount());
        Assert.Empty(await InDb(server, db => LedgerStore.VerifyAsync(db, Ct)));
    }

    [Fact]
    public async Task Concurrent_approvals_by_two_admins_move_the_money_once()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (requested, _) = await AskAsync(admin, s.VendorCode, new { amount = "40.00", reference = "storm" });
        using var approver = server.Client(await server.ApproverKeyAsync());
        var third = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = Unique("third-admin"), role = "admin" }, Ct));
        using var other = server.Client(third["key"]!.GetValue<string>());
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? approver : other).PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal("40.00", await FloatOf(admin, s.VendorCode));
    }

    [Fact]
    public async Task The_one_who_asked_cannot_approve_their_own_deposit()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (requested, _) = await AskAsync(admin, s.VendorCode, new { amount = "99.00", reference = "EFT 2" });
        var transactions = await TransactionCount();
        var refused = await Problem(HttpStatusCode.Forbidden, await admin.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct));
        Assert.Equal("urn:prepay:problem:own-request", refused["type"]!.GetValue<string>());
        await Problem(HttpStatusCode.Forbidden, await admin.PostAsync($"/api/v1/approvals/{requested["id"]}/reject", null, Ct));
        Assert.Equal("0.00", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions, await TransactionCount());
        Assert.Equal("requested", (await Ok(await admin.GetAsync($"/api/v1/approvals/{requested["id"]}", Ct)))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_rejected_deposit_moves_no_money_and_cannot_be_approved_afterwards()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (requested, _) = await AskAsync(admin, s.VendorCode, new { amount = "70.00", reference = "EFT 3" });
        using var approver = server.Client(await server.ApproverKeyAsync());
        var rejected = await Ok(await approver.PostAsJsonAsync($"/api/v1/approvals/{requested["id"]}/reject", new { note = "no such payment on the statement" }, Ct));
        Assert.Equal("rejected", rejected["state"]!.GetValue<string>());
        await Problem(HttpStatusCode.Conflict, await approver.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct));
        Assert.Equal("0.00", await FloatOf(admin, s.VendorCode));
    }

    [Fact]
    public async Task A_deposit_over_the_cap_is_refused_with_nothing_written()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var requests = await InDb(server, db => db.MoneyApprovals.CountAsync(Ct));
        var audits = await AuditCount(server);
        var (body, response) = await AskAsync(admin, s.VendorCode, new { amount = "1000000.01", reference = "too much" });
        var problem = await Problem(HttpStatusCode.UnprocessableEntity, response);
        Assert.Equal("urn:prepay:problem:over-deposit-cap", problem["type"]!.GetValue<string>());
        _ = body;
        Assert.Equal(requests, await InDb(server, db => db.MoneyApprovals.CountAsync(Ct)));
        Assert.Equal(audits, await AuditCount(server));
        // At the cap is fine.
        var (_, atCap) = await AskAsync(admin, s.VendorCode, new { amount = "1000000.00", reference = "exactly the cap" });
        Assert.Equal(HttpStatusCode.Accepted, atCap.StatusCode);
    }

    [Fact]
    public async Task Asking_and_approving_are_audited_with_the_keys_ids()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (requested, _) = await AskAsync(admin, s.VendorCode, new { amount = "12.00", reference = "EFT audit" });
        var approved = await ApproveAsync(server, requested);
        var target = $"approval/{requested["id"]}";
        var rows = await InDb(server, db => db.Audit.AsNoTracking().Where(a => a.Target == target).OrderBy(a => a.Id).ToListAsync(Ct));
        Assert.Equal(["approval.request", "approval.approve"], rows.Select(r => r.Action));
        Assert.Equal(requested["requestedBy"]!.GetValue<Guid>(), rows[0].ActorId);
        Assert.Equal(approved["decidedBy"]!.GetValue<Guid>(), rows[1].ActorId);
        var bootstrapKeyId = await InDb(server, db => db.ApiKeys.Where(k => k.Name != "second-admin" && k.Role == "Admin").OrderBy(k => k.CreatedAt).Select(k => k.Id).FirstAsync(Ct));
        Assert.Equal(bootstrapKeyId, rows[0].ActorId);
    }

    [Fact]
    public async Task A_deposit_with_a_bad_amount_no_reference_to_an_unknown_vendor_or_by_a_vendor_is_refused()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/vendors/{s.VendorCode}/float-deposits";
        var requests = await InDb(server, db => db.MoneyApprovals.CountAsync(Ct));
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "0.00", reference = "x" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "-10.00", reference = "x" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "10.001", reference = "x" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { reference = "x" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "10.00" }, Ct), "reference");
        await Problem(HttpStatusCode.NotFound, await admin.PostAsJsonAsync($"/api/v1/vendors/{Unique("NOPE")}/float-deposits", new { amount = "10.00", reference = "x" }, Ct));
        using var vendor = server.Client(s.VendorKey);
        await Problem(HttpStatusCode.Forbidden, await vendor.PostAsJsonAsync(path, new { amount = "10.00", reference = "x" }, Ct));
        Assert.Equal(requests, await InDb(server, db => db.MoneyApprovals.CountAsync(Ct)));
        Assert.Equal("0.00", await FloatOf(admin, s.VendorCode));
    }

    [Fact]
    public async Task Operators_may_ask_and_list_but_only_admins_decide()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var op = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = Unique("op"), role = "operator" }, Ct));
        using var operatorClient = server.Client(op["key"]!.GetValue<string>());
        var (requested, response) = await AskAsync(operatorClient, s.VendorCode, new { amount = "5.00", reference = "cash" });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var listed = (await Ok(await operatorClient.GetAsync("/api/v1/approvals?state=requested", Ct))).AsArray();
        Assert.Contains(listed, a => a!["id"]!.GetValue<Guid>() == requested["id"]!.GetValue<Guid>());
        await Problem(HttpStatusCode.Forbidden, await operatorClient.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct));
        using var vendor = server.Client(s.VendorKey);
        await Problem(HttpStatusCode.Forbidden, await vendor.GetAsync("/api/v1/approvals", Ct));
        // The admin who did not ask approves the operator's request.
        Assert.Equal("approved", (await Ok(await admin.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct)))["state"]!.GetValue<string>());
        Assert.Equal("5.00", await FloatOf(admin, s.VendorCode));
    }
}

public sealed class FloatDepositSqliteTests(SqliteServer server) : FloatDepositTests(server), IClassFixture<SqliteServer>;

public sealed class FloatDepositPostgresTests(PostgresServer server) : FloatDepositTests(server), IClassFixture<PostgresServer>;
