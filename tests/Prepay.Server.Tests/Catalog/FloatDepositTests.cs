using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>Float deposits are money: each Idempotency-Key posts at most once; run once per database provider.</summary>
public abstract class FloatDepositTests(ServerFixture server)
{
    private async Task<string> FloatOf(HttpClient admin, string vendor) =>
        (await Ok(await admin.GetAsync($"/api/v1/vendors/{vendor}", Ct)))["float"]!.GetValue<string>();

    private Task<int> TransactionCount() => InDb(server, db => db.LedgerTransactions.CountAsync(Ct));

    [Fact]
    public async Task A_deposit_grows_the_float_and_leaves_an_audit_record()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var response = await PostWithKey(admin, $"/api/v1/vendors/{s.VendorCode}/float-deposits", new { amount = "250.50", reference = "EFT 1" }, "dep-" + s.Suffix);
        var body = await Json(response);
        Status(HttpStatusCode.Created, response, body.ToJsonString());
        Assert.Equal("250.50", body["amount"]!.GetValue<string>());
        Assert.Equal("250.50", body["balance"]!.GetValue<string>());
        Assert.False(body["replayed"]!.GetValue<bool>());
        Assert.Equal("250.50", await FloatOf(admin, s.VendorCode));
        Assert.Contains(await AuditAsync(admin, "vendor.float.deposit"), a => a["details"]!.GetValue<string>().Contains("EFT 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_key_with_the_same_body_returns_the_same_transaction_and_moves_no_money()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/vendors/{s.VendorCode}/float-deposits";
        var first = await Ok(await PostWithKey(admin, path, new { amount = "100.00", reference = "EFT 7" }, "same-" + s.Suffix));
        var transactions = await TransactionCount();

        var again = await PostWithKey(admin, path, new { amount = "100.00", reference = "EFT 7" }, "same-" + s.Suffix);
        var replay = await Json(again);
        Status(HttpStatusCode.OK, again, replay.ToJsonString());
        Assert.Equal(first["transactionId"]!.GetValue<Guid>(), replay["transactionId"]!.GetValue<Guid>());
        Assert.True(replay["replayed"]!.GetValue<bool>());
        Assert.Equal("100.00", replay["balance"]!.GetValue<string>());
        Assert.Equal("100.00", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions, await TransactionCount());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_deposit_post_it_once()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/vendors/{s.VendorCode}/float-deposits";
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => PostWithKey(admin, path, new { amount = "40.00", reference = "storm" }, "storm-" + s.Suffix)));
        var bodies = await Task.WhenAll(responses.Select(Json));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(bodies.Select(b => b["transactionId"]!.GetValue<Guid>()).Distinct());
        Assert.Equal("40.00", await FloatOf(admin, s.VendorCode));
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_refused_with_422_and_moves_no_money()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/vendors/{s.VendorCode}/float-deposits";
        await Ok(await PostWithKey(admin, path, new { amount = "100.00", reference = "EFT 8" }, "other-" + s.Suffix));
        var transactions = await TransactionCount();

        foreach (var body in new object[] { new { amount = "100.01", reference = "EFT 8" }, new { amount = "100.00", reference = "EFT 9" } })
        {
            var refused = await Problem(HttpStatusCode.UnprocessableEntity, await PostWithKey(admin, path, body, "other-" + s.Suffix));
            Assert.Equal("urn:prepay:problem:idempotency-key-reused", refused["type"]!.GetValue<string>());
        }
        Assert.Equal("100.00", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions, await TransactionCount());
    }

    [Fact]
    public async Task One_key_used_at_two_vendors_makes_two_deposits()
    {
        var a = await CreateAsync(server, floatAmount: "0");
        var b = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var key = "shared-" + a.Suffix;
        await Ok(await PostWithKey(admin, $"/api/v1/vendors/{a.VendorCode}/float-deposits", new { amount = "10.00" }, key));
        var second = await PostWithKey(admin, $"/api/v1/vendors/{b.VendorCode}/float-deposits", new { amount = "10.00" }, key);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("10.00", await FloatOf(admin, a.VendorCode));
        Assert.Equal("10.00", await FloatOf(admin, b.VendorCode));
    }

    [Fact]
    public async Task A_deposit_without_a_key_with_a_bad_amount_to_an_unknown_vendor_or_by_a_vendor_is_refused()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/vendors/{s.VendorCode}/float-deposits";
        var transactions = await TransactionCount();
        await Invalid(await PostWithKey(admin, path, new { amount = "10.00" }, null), "Idempotency-Key");
        await Invalid(await PostWithKey(admin, path, new { amount = "0.00" }, Unique("k")), "amount");
        await Invalid(await PostWithKey(admin, path, new { amount = "-10.00" }, Unique("k")), "amount");
        await Invalid(await PostWithKey(admin, path, new { amount = "10.001" }, Unique("k")), "amount");
        await Invalid(await PostWithKey(admin, path, new { }, Unique("k")), "amount");
        await Problem(HttpStatusCode.NotFound, await PostWithKey(admin, $"/api/v1/vendors/{Unique("NOPE")}/float-deposits", new { amount = "10.00" }, Unique("k")));
        using var vendor = server.Client(s.VendorKey);
        await Problem(HttpStatusCode.Forbidden, await PostWithKey(vendor, path, new { amount = "10.00" }, Unique("k")));
        Assert.Equal("0.00", await FloatOf(admin, s.VendorCode));
        Assert.Equal(transactions, await TransactionCount());
    }
}

public sealed class FloatDepositSqliteTests(SqliteServer server) : FloatDepositTests(server), IClassFixture<SqliteServer>;

public sealed class FloatDepositPostgresTests(PostgresServer server) : FloatDepositTests(server), IClassFixture<PostgresServer>;
