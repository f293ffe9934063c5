using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>Customers, sites, premises, meters and vendors through real HTTP; run once per database provider.</summary>
public abstract class CatalogApiTests(ServerFixture server)
{
    [Fact]
    public async Task A_customer_is_created_read_found_by_search_and_updated_with_an_audit_record_each_time()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var name = Unique("Lindiwe Dube ");
        var created = await admin.PostAsJsonAsync("/api/v1/customers", new { name = "  " + name + " ", phone = "+27 82 555-0101", email = "lindiwe@example.org" }, Ct);
        var body = await Json(created);
        Status(HttpStatusCode.Created, created, body.ToJsonString());
        var id = body["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/v1/customers/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(name, body["name"]!.GetValue<string>());
        Assert.False(body["indigent"]!.GetValue<bool>());

        var read = await Ok(await admin.GetAsync($"/api/v1/customers/{id}", Ct));
        Assert.Equal(name, read["name"]!.GetValue<string>());
        Assert.Equal("+27 82 555-0101", read["phone"]!.GetValue<string>());

        var found = (await Ok(await admin.GetAsync($"/api/v1/customers?search={Uri.EscapeDataString(name)}", Ct))).AsArray();
        Assert.Equal(id, Assert.Single(found)!["id"]!.GetValue<Guid>());

        var updated = await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{id}", new { name, indigent = true, @protected = true }, Ct));
        Assert.True(updated["indigent"]!.GetValue<bool>());
        Assert.True((await Ok(await admin.GetAsync($"/api/v1/customers/{id}", Ct)))["protected"]!.GetValue<bool>());

        Assert.Contains(await AuditAsync(admin, "customer.create"), a => a["target"]!.GetValue<string>() == $"customer/{id}" && a["actor"]!.GetValue<string>() == "admin:bootstrap-admin");
        Assert.Contains(await AuditAsync(admin, "customer.update"), a => a["target"]!.GetValue<string>() == $"customer/{id}");

        // Left out, the protections stay: an update of the phone number does not clear them.
        var rephoned = await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{id}", new { name, phone = "+27 82 555 0199" }, Ct));
        Assert.True(rephoned["indigent"]!.GetValue<bool>());
        Assert.True(rephoned["protected"]!.GetValue<bool>());
        Assert.Contains(await AuditAsync(admin, "customer.update"), a => a["target"]!.GetValue<string>() == $"customer/{id}"
            && a["details"]!.GetValue<string>().Contains("phone= ", StringComparison.Ordinal) && a["details"]!.GetValue<string>().Contains("phone=+27 82 555 0199", StringComparison.Ordinal));
        var cleared = await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{id}", new { name, indigent = false, @protected = false }, Ct));
        Assert.False(cleared["protected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_customer_with_bad_fields_is_a_400_naming_each_field_and_nothing_is_written()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var before = await InDb(server, db => db.Customers.CountAsync(Ct));
        var auditBefore = await AuditCount(server);
        await Invalid(await admin.PostAsJsonAsync("/api/v1/customers", new { name = " ", phone = "call me", email = "nobody" }, Ct), "name", "phone", "email");
        await Invalid(await admin.PostAsJsonAsync("/api/v1/customers", new { name = new string('x', 201) }, Ct), "name");
        await Invalid(await PostJson(admin, "/api/v1/customers", """{"name": 42}"""), "name");
        Assert.Equal(before, await InDb(server, db => db.Customers.CountAsync(Ct)));
        Assert.Equal(auditBefore, await AuditCount(server));
    }

    [Fact]
    public async Task An_unknown_customer_is_a_404_problem_for_read_and_update()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var id = Guid.NewGuid();
        var read = await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/customers/{id}", Ct));
        Assert.Contains(id.ToString(), read["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await Problem(HttpStatusCode.NotFound, await admin.PutAsJsonAsync($"/api/v1/customers/{id}", new { name = "Nobody" }, Ct));
    }

    [Fact]
    public async Task A_site_is_created_read_and_listed_and_a_second_with_the_same_code_is_a_409()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("SITE-");
        var created = await admin.PostAsJsonAsync("/api/v1/sites", new { code, name = "Riverside Flats", kind = "dormitory" }, Ct);
        Status(HttpStatusCode.Created, created, await created.Content.ReadAsStringAsync(Ct));
        Assert.Equal($"/api/v1/sites/{code}", created.Headers.Location!.OriginalString);

        var read = await Ok(await admin.GetAsync($"/api/v1/sites/{code}", Ct));
        Assert.Equal("Riverside Flats", read["name"]!.GetValue<string>());
        Assert.Equal("dormitory", read["kind"]!.GetValue<string>());
        var list = (await Ok(await admin.GetAsync("/api/v1/sites", Ct))).AsArray();
        Assert.Single(list, s => s!["code"]!.GetValue<string>() == code);

        var again = await Problem(HttpStatusCode.Conflict, await admin.PostAsJsonAsync("/api/v1/sites", new { code, name = "Other name" }, Ct));
        Assert.Equal("urn:prepay:problem:duplicate", again["type"]!.GetValue<string>());
        Assert.Equal("Riverside Flats", (await Ok(await admin.GetAsync($"/api/v1/sites/{code}", Ct)))["name"]!.GetValue<string>());
        Assert.Single(await AuditAsync(admin, "site.create"), a => a["target"]!.GetValue<string>() == $"site/{code}");
    }

    [Fact]
    public async Task A_site_with_a_bad_code_or_no_name_is_a_400_naming_the_field_and_an_unknown_site_is_a_404()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        await Invalid(await admin.PostAsJsonAsync("/api/v1/sites", new { code = "has space", name = "X" }, Ct), "code");
        await Invalid(await admin.PostAsJsonAsync("/api/v1/sites", new { code = new string('A', 41), name = "X" }, Ct), "code");
        await Invalid(await admin.PostAsJsonAsync("/api/v1/sites", new { code = Unique("S"), name = "" }, Ct), "name");
        await Invalid(await PostJson(admin, "/api/v1/sites", $$"""{"code": "{{Unique("S")}}", "name": "X", "kind": "castle"}"""), "kind");
        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/sites/{Unique("NOPE")}", Ct));
        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/sites/{Unique("NOPE")}/premises", Ct));
    }

    [Fact]
    public async Task Premises_are_created_listed_and_reassigned_and_duplicates_bad_labels_and_unknown_customers_are_refused()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var site = Unique("P-");
        await Ok(await admin.PostAsJsonAsync("/api/v1/sites", new { code = site, name = "Block P" }, Ct));
        var first = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = Unique("Sipho ") }, Ct)))["id"]!.GetValue<Guid>();
        var second = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = Unique("Ayanda ") }, Ct)))["id"]!.GetValue<Guid>();

        var created = await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = " 12A ", customerId = first }, Ct);
        var body = await Json(created);
        Status(HttpStatusCode.Created, created, body.ToJsonString());
        Assert.Equal("12A", body["label"]!.GetValue<string>());

        await Problem(HttpStatusCode.Conflict, await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = "12A" }, Ct));
        await Invalid(await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = "" }, Ct), "label");
        await Invalid(await admin.PostAsJsonAsync($"/api/v1/sites/{site}/premises", new { label = "13", customerId = Guid.NewGuid() }, Ct), "customerId");
        await Problem(HttpStatusCode.NotFound, await admin.PostAsJsonAsync($"/api/v1/sites/{Unique("NOPE")}/premises", new { label = "1" }, Ct));

        var moved = await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{site}/premises/12A", new { customerId = second }, Ct));
        Assert.Equal(second, moved["customerId"]!.GetValue<Guid>());
        var list = (await Ok(await admin.GetAsync($"/api/v1/sites/{site}/premises", Ct))).AsArray();
        var unit = Assert.Single(list)!;
        Assert.Equal(second, unit["customerId"]!.GetValue<Guid>());
        Assert.Null(unit["meterNumber"]);

        await Invalid(await admin.PutAsJsonAsync($"/api/v1/sites/{site}/premises/12A", new { customerId = Guid.NewGuid() }, Ct), "customerId");
        await Problem(HttpStatusCode.NotFound, await admin.PutAsJsonAsync($"/api/v1/sites/{site}/premises/99", new { customerId = second }, Ct));
        Assert.Contains(await AuditAsync(admin, "premises.create"), a => a["target"]!.GetValue<string>() == $"site/{site}/premises/12A");
        Assert.Contains(await AuditAsync(admin, "premises.update"), a => a["target"]!.GetValue<string>() == $"site/{site}/premises/12A");
    }

    [Fact]
    public async Task A_meter_is_created_with_defaults_by_mode_read_listed_and_a_duplicate_is_a_409()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var number = "0400" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var created = await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "token", currency = "ZAR", tariffCode = s.TariffCode }, Ct);
        var body = await Json(created);
        Status(HttpStatusCode.Created, created, body.ToJsonString());
        Assert.Equal(100, body["resolutionWh"]!.GetValue<long>());
        Assert.NotNull(body["sts"]);

        var read = await MeterFromListAsync(admin, number);
        Assert.Equal("token", read["mode"]!.GetValue<string>());
        Assert.Equal("ZAR", read["currency"]!.GetValue<string>());
        Assert.Equal(s.TariffCode, read["tariffCode"]!.GetValue<string>());
        Assert.Null(read["site"]);
        Assert.Equal(s.Unit, (await MeterFromListAsync(admin, s.MeterNumber))["unit"]!.GetValue<string>());

        var smartNumber = "SM-" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var smart = await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = smartNumber, mode = "smart", currency = "ZAR" }, Ct));
        Assert.Equal(1, smart["resolutionWh"]!.GetValue<long>());
        Assert.Null(smart["sts"]);


        var dup = await Problem(HttpStatusCode.Conflict, await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "smart", currency = "ZAR" }, Ct));
        Assert.Equal("urn:prepay:problem:duplicate", dup["type"]!.GetValue<string>());
        Assert.Contains(await AuditAsync(admin, "meter.create"), a => a["target"]!.GetValue<string>() == $"meter/{number}");
    }

    [Fact]
    public async Task Meters_whose_number_fails_the_decoder_reference_check_digit_are_flagged_and_listed()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        // IEC 62055-41 §6.1.2: the DRN's last digit is the Luhn digit of the others. 0400123456 -> 1 (valid).
        var stem = "04" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        int check = Prepay.Sts.Keys.Luhn.CheckDigit(stem);
        string valid = stem + check, invalid = stem + ((check + 1) % 10);
        foreach (var number in new[] { valid, invalid })
        {
            await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "token", currency = "ZAR" }, Ct));
        }
        var smartNoSts = await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = stem + "9X", mode = "smart", currency = "ZAR" }, Ct));

        Assert.True((await MeterFromListAsync(admin, valid))["drnCheckDigitValid"]!.GetValue<bool>());
        Assert.False((await Ok(await admin.GetAsync($"/api/v1/meters/{invalid}", Ct)))["drnCheckDigitValid"]!.GetValue<bool>());
        Assert.Null(smartNoSts["drnCheckDigitValid"]);
        var failed = (await Ok(await admin.GetAsync("/api/v1/meters?drnCheck=failed&limit=5000", Ct))).AsArray().Select(m => m!["meterNumber"]!.GetValue<string>()).ToList();
        Assert.Contains(invalid, failed);
        Assert.DoesNotContain(valid, failed);
        await Invalid(await admin.GetAsync("/api/v1/meters?drnCheck=maybe", Ct), "drnCheck");
    }

    [Fact]
    public async Task A_smart_meter_registered_with_sts_parameters_takes_tokens_in_tenths_of_a_kWh()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var number = "0401" + Random.Shared.NextInt64(1_000_000, 9_999_999);
        var smart = await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = number, mode = "smart", currency = "ZAR", sts = new { supplyGroupCode = 600500 } }, Ct));
        Assert.Equal("smart", smart["mode"]!.GetValue<string>());
        Assert.Equal(600500, smart["sts"]!["supplyGroupCode"]!.GetValue<int>());
        Assert.Equal(100, smart["resolutionWh"]!.GetValue<long>());
        Assert.True(await InDb(server, db => db.Meters.Where(m => m.MeterNumber == number).Select(m => m.HasStsDecoder).SingleAsync(Ct)));
        await Invalid(await PostJson(admin, "/api/v1/meters", $$$"""{"meterNumber": "{{{number}}}1", "mode": "smart", "currency": "ZAR", "resolutionWh": 50, "sts": {}}"""), "resolutionWh");
    }

    public static TheoryData<string, string> BadMeters => new()
    {
        { """{"meterNumber": "not a number!", "mode": "token", "currency": "ZAR"}""", "meterNumber" },
        { """{"meterNumber": "", "mode": "token", "currency": "ZAR"}""", "meterNumber" },
        { """{"meterNumber": "012345678901234567890123456789012", "mode": "token", "currency": "ZAR"}""", "meterNumber" },
        { """{"meterNumber": "04001234567", "currency": "ZAR"}""", "mode" },
        { """{"meterNumber": "04001234567", "mode": "token", "currency": "XYZ"}""", "currency" },
        { """{"meterNumber": "04001234567", "mode": "token"}""", "currency" },
        { """{"meterNumber": "04001234567", "mode": "smart", "currency": "ZAR", "resolutionWh": 0}""", "resolutionWh" },
        { """{"meterNumber": "04001234567", "mode": "smart", "currency": "ZAR", "resolutionWh": 10001}""", "resolutionWh" },
        { """{"meterNumber": "04001234567", "mode": "token", "currency": "ZAR", "tariffCode": "NO-SUCH-TARIFF"}""", "tariffCode" },
        { """{"meterNumber": "04001234567", "mode": "token", "currency": "ZAR", "resolutionWh": "lots"}""", "resolutionWh" },
    };

    [Theory]
    [MemberData(nameof(BadMeters))]
    public async Task A_meter_with_a_bad_field_is_a_400_naming_the_field_and_nothing_is_written(string json, string field)
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var before = await InDb(server, db => db.Meters.CountAsync(Ct));
        await Invalid(await PostJson(admin, "/api/v1/meters", json), field);
        Assert.Equal(before, await InDb(server, db => db.Meters.CountAsync(Ct)));
    }

    /// <summary>A meter as the unfiltered list shows it (reading one meter by number is broken, see the skipped tests).</summary>
    internal static async Task<System.Text.Json.Nodes.JsonNode> MeterFromListAsync(HttpClient client, string meterNumber) =>
        (await Ok(await client.GetAsync("/api/v1/meters?limit=5000", Ct))).AsArray().Single(m => m!["meterNumber"]!.GetValue<string>() == meterNumber)!;

    [Fact]
    public async Task A_meter_is_read_by_its_number_with_its_installation_and_tariff()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var read = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}", Ct));
        Assert.Equal(s.SiteCode, read["site"]!.GetValue<string>());
        Assert.Equal(s.Unit, read["unit"]!.GetValue<string>());
        Assert.Equal(s.TariffCode, read["tariffCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Meters_are_listed_by_site()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var atSite = (await Ok(await admin.GetAsync($"/api/v1/meters?site={s.SiteCode}", Ct))).AsArray();
        Assert.Equal(s.MeterNumber, Assert.Single(atSite)!["meterNumber"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_meter_is_a_404_problem()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var body = await Problem(HttpStatusCode.NotFound, await admin.GetAsync("/api/v1/meters/0499999999999", Ct));
        Assert.Contains("0499999999999", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pricing_an_unknown_meter_is_a_404_and_an_unknown_tariff_a_400_naming_the_tariff()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        await Problem(HttpStatusCode.NotFound, await admin.PutAsJsonAsync("/api/v1/meters/0499999999999/tariff", new { tariffCode = s.TariffCode }, Ct));
        await Invalid(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/tariff", new { tariffCode = "NO-SUCH-TARIFF" }, Ct), "tariffCode");
        var audit = await AuditAsync(admin, "meter.tariff");
        Assert.DoesNotContain(audit, a => a["target"]!.GetValue<string>() == $"meter/{s.MeterNumber}");
    }

    [Fact]
    public async Task A_tariff_in_another_currency_than_the_meter_is_refused_with_422()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        var usd = "0401" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = usd, mode = "smart", currency = "USD" }, Ct));
        var body = await Problem(HttpStatusCode.UnprocessableEntity, await admin.PutAsJsonAsync($"/api/v1/meters/{usd}/tariff", new { tariffCode = s.TariffCode }, Ct));
        Assert.Equal("urn:prepay:problem:currency-mismatch", body["type"]!.GetValue<string>());
        Assert.Null((await MeterFromListAsync(admin, usd))["tariffCode"]);
    }

    [Fact]
    public async Task A_vendor_is_created_with_an_empty_float_and_duplicates_and_bad_fields_are_refused()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("VEN-");
        var created = await admin.PostAsJsonAsync("/api/v1/vendors", new { code, name = "Spaza " + code, channel = "web", currency = "UGX", commissionBasisPoints = 300 }, Ct);
        var body = await Json(created);
        Status(HttpStatusCode.Created, created, body.ToJsonString());
        Assert.Equal("0", body["float"]!.GetValue<string>());
        Assert.Equal("web", body["channel"]!.GetValue<string>());
        Assert.Equal(300, body["commissionBasisPoints"]!.GetValue<int>());

        var read = await Ok(await admin.GetAsync($"/api/v1/vendors/{code}", Ct));
        Assert.Equal("UGX", read["currency"]!.GetValue<string>());
        Assert.Contains((await Ok(await admin.GetAsync("/api/v1/vendors", Ct))).AsArray(), v => v!["code"]!.GetValue<string>() == code);

        await Problem(HttpStatusCode.Conflict, await admin.PostAsJsonAsync("/api/v1/vendors", new { code, name = "Again", currency = "ZAR" }, Ct));
        await Invalid(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = Unique("V"), name = "X", currency = "ZAR", commissionBasisPoints = 10_001 }, Ct), "commissionBasisPoints");
        await Invalid(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = Unique("V"), name = "X", currency = "ZAR", commissionBasisPoints = -1 }, Ct), "commissionBasisPoints");
        await Invalid(await admin.PostAsJsonAsync("/api/v1/vendors", new { code = "bad code", name = "", currency = "XXX" }, Ct), "code", "name", "currency");
        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/vendors/{Unique("NOPE")}", Ct));
        Assert.Contains(await AuditAsync(admin, "vendor.create"), a => a["target"]!.GetValue<string>() == $"vendor/{code}");
    }

    [Fact]
    public async Task A_vendor_key_sees_its_own_vendor_only_and_others_do_not_exist_for_it()
    {
        var mine = await CreateAsync(server, floatAmount: "0");
        var other = await CreateAsync(server, floatAmount: "0");
        using var vendor = server.Client(mine.VendorKey);
        Assert.Equal(mine.VendorCode, (await Ok(await vendor.GetAsync($"/api/v1/vendors/{mine.VendorCode}", Ct)))["code"]!.GetValue<string>());
        await Problem(HttpStatusCode.NotFound, await vendor.GetAsync($"/api/v1/vendors/{other.VendorCode}", Ct));
        await Problem(HttpStatusCode.Forbidden, await vendor.GetAsync("/api/v1/vendors", Ct));
    }

    [Fact]
    public async Task Catalog_calls_need_a_key_and_the_right_role()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var anonymous = server.Client(apiKey: null);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        var op = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "desk-" + s.Suffix, role = "operator" }, Ct));
        using var operatorClient = server.Client(op["key"]!.GetValue<string>());

        var unauthorized = await anonymous.PostAsJsonAsync("/api/v1/customers", new { name = "X" }, Ct);
        await Problem(HttpStatusCode.Unauthorized, unauthorized);
        Assert.Equal("Bearer", unauthorized.Headers.WwwAuthenticate.Single().Scheme);
        await Problem(HttpStatusCode.Unauthorized, await anonymous.GetAsync("/api/v1/meters", Ct));
        await Problem(HttpStatusCode.Unauthorized, await anonymous.GetAsync("/api/v1/tariffs", Ct));

        await Problem(HttpStatusCode.Forbidden, await vendor.PostAsJsonAsync("/api/v1/sites", new { code = Unique("S"), name = "X" }, Ct));
        await Problem(HttpStatusCode.Forbidden, await vendor.PostAsJsonAsync("/api/v1/meters", new { meterNumber = "0401", mode = "smart", currency = "ZAR" }, Ct));
        await Problem(HttpStatusCode.Forbidden, await vendor.GetAsync("/api/v1/audit", Ct));
        await Problem(HttpStatusCode.Forbidden, await operatorClient.GetAsync("/api/v1/api-keys", Ct));
        Assert.Equal(HttpStatusCode.OK, (await vendor.GetAsync("/api/v1/meters?limit=1", Ct)).StatusCode);

        // An operator may configure the catalog, and the audit log names the operator.
        var site = Unique("OPS-");
        await Ok(await operatorClient.PostAsJsonAsync("/api/v1/sites", new { code = site, name = "Made by an operator" }, Ct));
        Assert.Contains(await AuditAsync(admin, "site.create"), a => a["target"]!.GetValue<string>() == $"site/{site}" && a["actor"]!.GetValue<string>() == $"operator:desk-{s.Suffix}");
    }

    [Fact]
    public async Task A_key_revoked_before_use_is_refused_and_listed_as_revoked()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        // Keys are cached for a few seconds once used, so this key is revoked before its first call.
        var key = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = Unique("temp-"), role = "operator" }, Ct));
        using var temp = server.Client(key["key"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/api-keys/{key["id"]}", Ct)).StatusCode);
        await Problem(HttpStatusCode.Unauthorized, await temp.GetAsync("/api/v1/customers?limit=1", Ct));
        var listed = (await Ok(await admin.GetAsync("/api/v1/api-keys", Ct))).AsArray().Single(k => k!["id"]!.GetValue<Guid>() == key["id"]!.GetValue<Guid>())!;
        Assert.NotNull(listed["revokedAt"]);
        Assert.Contains(await AuditAsync(admin, "apikey.revoke"), a => a["target"]!.GetValue<string>() == $"apikey/{key["id"]}");
        await Problem(HttpStatusCode.NotFound, await admin.DeleteAsync($"/api/v1/api-keys/{Guid.NewGuid()}", Ct));
    }
}

public sealed class CatalogApiSqliteTests(SqliteServer server) : CatalogApiTests(server), IClassFixture<SqliteServer>;

public sealed class CatalogApiPostgresTests(PostgresServer server) : CatalogApiTests(server), IClassFixture<PostgresServer>;
