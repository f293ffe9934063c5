using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Vending.Tests.Vending;

/// <summary>The vending API through real HTTP against a real database; run once per database provider.</summary>
public abstract class VendingApiTests(ServerFixture server)
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(long Vends, long Postings, long Transactions, long Claims)> CountsAsync()
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return (await db.Vends.LongCountAsync(Ct), await db.Postings.LongCountAsync(Ct), await db.LedgerTransactions.LongCountAsync(Ct), await db.IdempotencyClaims.LongCountAsync(Ct));
    }

    private static long Minor(JsonNode? node) => (long)(decimal.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) * 100);

    [Fact]
    public async Task Vend_by_meter_number_returns_a_token_the_energy_and_a_breakdown_that_sums_to_the_amount()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var response = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.05", currency = "ZAR", channel = "shop", paymentReference = "cash-1" }), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.Created, response, body.ToJsonString());

        Assert.Equal(s.MeterNumber, body["meterNumber"]!.GetValue<string>());
        Assert.Equal("100.05", body["amount"]!.GetValue<string>());
        Assert.Matches("^[0-9]{20}$", body["token"]!.GetValue<string>());
        var energy = body["energyWh"]!.GetValue<long>();
        // 2.00/kWh is the published price, VAT included: 100.05 buys 50.025 kWh, sold in whole 0.1 kWh: 50.0 kWh,
        // and the 0.05 left stays on the customer's account.
        Assert.Equal(50_000, energy);
        Assert.Equal("0.05", body["breakdown"]!["carriedOut"]!.GetValue<string>());
        var b = body["breakdown"]!;
        var taxes = b["taxes"]!.AsArray().Sum(t => Minor(t!["amount"]));
        Assert.Equal(10_005 + Minor(b["carriedIn"]), taxes + Minor(b["fixedCharges"]) + Minor(b["debtRecovered"]) + Minor(b["energyCost"]) + Minor(b["carriedOut"]));
        Assert.Equal("Thandi Nkosi " + s.Suffix, body["receipt"]!["customerName"]!.GetValue<string>());
        Assert.Equal("B-204", body["receipt"]!["unit"]!.GetValue<string>());
        Assert.Equal(s.VendorCode, body["receipt"]!["vendorCode"]!.GetValue<string>());
        Assert.Equal($"/api/v1/vends/{body["id"]}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Recharge_by_site_and_unit_credits_the_meter_installed_there()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var response = await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "50.00", currency = "ZAR" }), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.Created, response, body.ToJsonString());
        Assert.Equal(s.MeterNumber, body["meterNumber"]!.GetValue<string>());
        Assert.Equal(s.SiteCode, body["receipt"]!["site"]!.GetValue<string>());
    }

    [Fact]
    public async Task Same_key_and_same_body_return_the_same_vend_and_token_without_a_second_transaction()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var request = new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" };
        var first = await Json(await vendor.SendAsync(Vend(request, "retry-1"), Ct));
        var before = await CountsAsync();
        var again = await vendor.SendAsync(Vend(request, "retry-1"), Ct);
        var second = await Json(again);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Fifty_concurrent_identical_requests_make_exactly_one_ledger_transaction_and_one_token()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var before = await CountsAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(new { meterNumber = s.MeterNumber, amount = "30.00", currency = "ZAR" });
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => vendor.SendAsync(Vend(json, "storm-1"), Ct)));
        var bodies = await Task.WhenAll(responses.Select(Json));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Select(b => b["token"]!.GetValue<string>()).Distinct());
        Assert.Single(bodies.Select(b => b["id"]!.GetValue<string>()).Distinct());
        var after = await CountsAsync();
        Assert.Equal(before.Vends + 1, after.Vends);
        Assert.Equal(before.Transactions + 1, after.Transactions);
        Assert.Equal(before.Claims + 1, after.Claims);
    }

    [Fact]
    public async Task Same_key_with_another_body_is_refused_with_422_and_nothing_written()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }, "reuse-1"), Ct));
        var before = await CountsAsync();
        var response = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "25.00", currency = "ZAR" }, "reuse-1"), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.UnprocessableEntity, response, body.ToJsonString());
        Assert.Equal("urn:prepay:problem:idempotency-key-reused", body["type"]!.GetValue<string>());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Reprint_returns_the_identical_vend_and_listing_finds_it_by_meter()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var reprint = await Ok(await vendor.GetAsync($"/api/v1/vends/{vend["id"]}", Ct));
        Assert.Equal(vend.ToJsonString(), reprint.ToJsonString());

        var list = (await Ok(await vendor.GetAsync($"/api/v1/vends?meterNumber={s.MeterNumber}&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z", Ct))).AsArray();
        Assert.Single(list);
        Assert.Equal(vend["token"]!.GetValue<string>(), list[0]!["token"]!.GetValue<string>());
        var empty = (await Ok(await vendor.GetAsync($"/api/v1/vends?meterNumber={s.MeterNumber}&from=2026-12-01T00:00:00Z", Ct))).AsArray();
        Assert.Empty(empty);
    }

    [Fact]
    public async Task Two_vends_to_one_meter_get_different_token_ids()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var vends = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
            await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = $"{10 + i}.00", currency = "ZAR" }), Ct))));
        Assert.Equal(6, vends.Select(v => v["tokenId"]!.GetValue<long>()).Distinct().Count());
        Assert.Equal(6, vends.Select(v => v["token"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public async Task Reversal_writes_a_compensating_transaction_and_restores_the_float()
    {
        var s = await CreateAsync(server, floatAmount: "500.00");
        using var vendor = server.Client(s.VendorKey);
        using var admin = server.Client();
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.00", currency = "ZAR" }), Ct));
        Assert.Equal("400.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());

        // A token vend: its token may be on the meter already, so the reversal waits for a second admin.
        var response = await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "customer paid twice" }, Ct);
        var requested = await Json(response);
        Status(HttpStatusCode.Accepted, response, requested.ToJsonString());
        Assert.Equal("vend-reversal", requested["kind"]!.GetValue<string>());
        Assert.Equal("400.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        var asked = await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "customer paid twice" }, Ct);
        Assert.Equal(requested["id"]!.GetValue<Guid>(), (await Json(asked))["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.PostAsync($"/api/v1/approvals/{requested["id"]}/approve", null, Ct)).StatusCode);
        Assert.Equal("400.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        await ApproveAsync(server, requested);
        Assert.Equal("500.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());

        var again = await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "customer paid twice" }, Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(vend["id"]!.GetValue<Guid>(), (await Json(again))["vendId"]!.GetValue<Guid>());

        var listed = (await Ok(await admin.GetAsync($"/api/v1/vends?meterNumber={s.MeterNumber}", Ct))).AsArray();
        Assert.True(listed.Single()!["reversed"]!.GetValue<bool>());
        await AssertLedgerHealthyAsync();
    }

    [Fact]
    public async Task Reversal_outside_the_window_or_without_a_reason_is_refused()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        using var admin = server.Client();
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var noReason = await admin.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);

        var vendorTries = await vendor.PostAsJsonAsync($"/api/v1/vends/{vend["id"]}/reversal", new { reason = "mine" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, vendorTries.StatusCode);

        var unknown = await admin.PostAsJsonAsync($"/api/v1/vends/{Guid.NewGuid()}/reversal", new { reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_vendor_cannot_sell_beyond_its_float()
    {
        var s = await CreateAsync(server, floatAmount: "50.00");
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
        var before = await CountsAsync();
        var response = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.01", currency = "ZAR" }), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.Conflict, response, body.ToJsonString());
        Assert.Equal("urn:prepay:problem:insufficient-float", body["type"]!.GetValue<string>());
        Assert.Equal(before, await CountsAsync());
        // The float is exactly enough for 20.00.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Equal("0.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_vends_never_overdraw_the_float()
    {
        var s = await CreateAsync(server, floatAmount: "100.00");
        using var vendor = server.Client(s.VendorKey);
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct)));
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(2, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal("0.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());
        await AssertLedgerHealthyAsync();
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{\"meterNumber\": \"X\", \"amount\": \"100.00\", \"currency\": \"ZAR\"", "malformed" },
        { """{"meterNumber": "@M", "amount": "0.00", "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": "0", "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": "-5.00", "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": "10.001", "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": "1e3", "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": 100.00, "currency": "ZAR"}""", "amount" },
        { """{"meterNumber": "@M", "amount": "100.00", "currency": "XYZ"}""", "currency" },
        { """{"meterNumber": "@M", "amount": "100.00"}""", "currency" },
        { """{"amount": "100.00", "currency": "ZAR"}""", "meterNumber" },
        { """{"meterNumber": "@M", "site": "S", "unit": "1", "amount": "100.00", "currency": "ZAR"}""", "meterNumber" },
        { """{"site": "S", "amount": "100.00", "currency": "ZAR"}""", "unit" },
        { """{"meterNumber": "not a number!", "amount": "100.00", "currency": "ZAR"}""", "meterNumber" },
        { """{"meterNumber": "@M", "amount": "99999999999.00", "currency": "ZAR"}""", "amount" },
        { """[1,2,3]""", "malformed" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_is_a_400_problem_naming_the_field_and_nothing_is_written(string json, string field)
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var before = await CountsAsync();
        var response = await vendor.SendAsync(Vend(json.Replace("@M", s.MeterNumber, StringComparison.Ordinal), "bad-" + Guid.NewGuid()), Ct);
        var body = await Json(response);
        Status(HttpStatusCode.BadRequest, response, body.ToJsonString());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        if (field != "malformed")
        {
            Assert.NotNull(body["errors"]![field]);
        }
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Unknown_meter_unit_and_missing_key_are_clear_problems_and_nothing_is_written()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var before = await CountsAsync();

        var meter = await vendor.SendAsync(Vend(new { meterNumber = "99999999999", amount = "10.00", currency = "ZAR" }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, meter.StatusCode);
        Assert.Contains("99999999999", (await Json(meter))["detail"]!.GetValue<string>());

        var unit = await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = "Z-999", amount = "10.00", currency = "ZAR" }), Ct);
        Assert.Equal(HttpStatusCode.NotFound, unit.StatusCode);

        var noKey = await vendor.SendAsync(Vend(System.Text.Json.JsonSerializer.Serialize(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), key: null), Ct);
        var noKeyBody = await Json(noKey);
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.NotNull(noKeyBody["errors"]!["Idempotency-Key"]);

        var otherCurrency = await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "USD" }), Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherCurrency.StatusCode);

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413_and_nothing_is_written()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var before = await CountsAsync();
        var huge = $$"""{"meterNumber": "{{s.MeterNumber}}", "amount": "10.00", "currency": "ZAR", "paymentReference": "{{new string('x', 400_000)}}"}""";
        var response = await vendor.SendAsync(Vend(huge, "huge-1"), Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Calls_without_a_key_get_401_and_calls_with_the_wrong_role_get_403()
    {
        var s = await CreateAsync(server);
        using var anonymous = server.Client(apiKey: null);
        var response = await anonymous.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);

        using var wrongKey = server.Client("pp_this-key-does-not-exist-000000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync("/api/v1/meters", Ct)).StatusCode);

        using var admin = server.Client();
        var op = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "desk-" + s.Suffix, role = "operator" }, Ct));
        using var operatorClient = server.Client(op["key"]!.GetValue<string>());
        var forbidden = await operatorClient.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType!.MediaType);

        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/v1/customers", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", role = "admin" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("/api/v1/customers", Ct)).StatusCode);
    }

    [Fact]
    public async Task Every_money_moving_and_configuration_call_leaves_an_audit_record()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var vend = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        using var admin = server.Client();
        var audit = (await Ok(await admin.GetAsync("/api/v1/audit?limit=1000", Ct))).AsArray();
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "vend.create" && a["target"]!.GetValue<string>() == $"vend/{vend["id"]}" && a["actor"]!.GetValue<string>() == $"vendor:till-{s.Suffix}");
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "meter.create" && a["target"]!.GetValue<string>() == $"meter/{s.MeterNumber}");
        // The float deposit: asked for by one admin, approved by another.
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "approval.request" && a["details"]!.GetValue<string>().Contains($"float deposit to {s.VendorCode}", StringComparison.Ordinal));
        Assert.Contains(audit, a => a!["action"]!.GetValue<string>() == "approval.approve" && a["details"]!.GetValue<string>().StartsWith("float-deposit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Smart_meter_vends_have_no_token_but_energy_at_one_watt_hour_resolution()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        var body = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.05", currency = "ZAR" }), Ct));
        Assert.Null(body["token"]);
        Assert.Equal("smart", body["meterMode"]!.GetValue<string>());
        // 100.05 at 2.00/kWh is 50.025 kWh, exactly what a meter counting whole Wh can take.
        Assert.Equal(50_025, body["energyWh"]!.GetValue<long>());
        Assert.Equal("0.00", body["breakdown"]!["carriedOut"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_remainder_below_the_meter_resolution_is_carried_to_the_next_purchase()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        var first = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.05", currency = "ZAR" }), Ct));
        var carried = first["breakdown"]!["carriedOut"]!.GetValue<string>();
        Assert.NotEqual("0.00", carried);
        var second = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "100.05", currency = "ZAR" }), Ct));
        Assert.Equal(carried, second["breakdown"]!["carriedIn"]!.GetValue<string>());
        Assert.Equal("0.10", second["breakdown"]!["carriedOut"]!.GetValue<string>());
        // Two purchases of 100.05 buy what one of 200.10 buys (100.05 kWh, sold as 100.0), to within one 0.1 kWh step.
        var together = first["energyWh"]!.GetValue<long>() + second["energyWh"]!.GetValue<long>();
        Assert.InRange(together, 100_000 - 100, 100_000);
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_a_posting()
    {
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE ledger_postings SET amount = amount + 1", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM ledger_postings", Ct));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("INSERT INTO ledger_postings (transaction_id, debit_account_id, credit_account_id, amount, currency) SELECT transaction_id, debit_account_id, credit_account_id, -5, currency FROM ledger_postings LIMIT 1", Ct));
        await AssertLedgerHealthyAsync();
    }

    private async Task AssertLedgerHealthyAsync()
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
        var total = await db.Accounts.SumAsync(a => a.Balance, Ct);
        Assert.Equal(0, total);
    }
}

public sealed class VendingApiSqliteTests(SqliteServer server) : VendingApiTests(server), IClassFixture<SqliteServer>;

public sealed class VendingApiPostgresTests(PostgresServer server) : VendingApiTests(server), IClassFixture<PostgresServer>;
