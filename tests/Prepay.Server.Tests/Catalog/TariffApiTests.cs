using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Prepay.Tariffs.Samples;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>Publishing tariff versions and quoting through real HTTP; run once per database provider.</summary>
public abstract class TariffApiTests(ServerFixture server)
{
    private static string Versioned(string code, int version) =>
        FlatTariff(code).Replace("\"version\": 1", $"\"version\": {version}", StringComparison.Ordinal);

    /// <summary>The shipped inclining-block sample under its own code, so tests do not share it.</summary>
    private static string Blocks(string code) =>
        TariffSamples.Json(TariffSamples.ResidentialBlocks).Replace("\"code\": \"RES-IBT\"", $"\"code\": \"{code}\"", StringComparison.Ordinal);

    private static long Minor(JsonNode? node) => (long)(decimal.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture) * 100);

    [Fact]
    public async Task Published_versions_are_listed_readable_and_the_latest_is_summarised()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("TAR-");
        var first = await PostJson(admin, "/api/v1/tariffs", Versioned(code, 1));
        var body = await Json(first);
        Status(HttpStatusCode.Created, first, body.ToJsonString());
        Assert.Equal($"/api/v1/tariffs/{code}/versions/1", first.Headers.Location!.OriginalString);
        Assert.Equal("ZAR", body["currency"]!.GetValue<string>());
        await Ok(await PostJson(admin, "/api/v1/tariffs", Versioned(code, 3)));

        var versions = (await Ok(await admin.GetAsync($"/api/v1/tariffs/{code}", Ct))).AsArray();
        Assert.Equal([1, 3], versions.Select(v => v!["version"]!.GetValue<int>()));
        var latest = (await Ok(await admin.GetAsync("/api/v1/tariffs", Ct))).AsArray().Single(t => t!["code"]!.GetValue<string>() == code)!;
        Assert.Equal(3, latest["version"]!.GetValue<int>());

        var document = await admin.GetAsync($"/api/v1/tariffs/{code}/versions/3", Ct);
        Assert.Equal("application/json", document.Content.Headers.ContentType!.MediaType);
        var doc = JsonNode.Parse(await document.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(code, doc["code"]!.GetValue<string>());
        Assert.Equal(3, doc["version"]!.GetValue<int>());

        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/tariffs/{code}/versions/2", Ct));
        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/tariffs/{Unique("NOPE")}", Ct));
        var audit = await AuditAsync(admin, "tariff.publish");
        Assert.Contains(audit, a => a["target"]!.GetValue<string>() == $"tariff/{code}/1");
        Assert.Contains(audit, a => a["target"]!.GetValue<string>() == $"tariff/{code}/3");
    }

    [Fact]
    public async Task Publishing_the_same_or_a_lower_version_is_a_409_and_nothing_is_written()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("TAR-");
        await Ok(await PostJson(admin, "/api/v1/tariffs", Versioned(code, 2)));
        var before = await InDb(server, db => db.Tariffs.CountAsync(Ct));
        foreach (var version in new[] { 2, 1 })
        {
            var body = await Problem(HttpStatusCode.Conflict, await PostJson(admin, "/api/v1/tariffs", Versioned(code, version)));
            Assert.Equal("urn:prepay:problem:version-exists", body["type"]!.GetValue<string>());
            Assert.Contains("version 3", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Equal(before, await InDb(server, db => db.Tariffs.CountAsync(Ct)));
    }

    public static TheoryData<string, string> BadDocuments => new()
    {
        { Blocks("@C").Replace("\"uptoKwh\": 350", "\"uptoKwh\": 40", StringComparison.Ordinal), "energy.blocks[1].uptoKwh" },
        { Blocks("@C").Replace("{ \"rate\": \"3.6822\" }", "{ \"uptoKwh\": 900, \"rate\": \"3.6822\" }", StringComparison.Ordinal), "energy.blocks[3].uptoKwh" },
        { FlatTariff("@C").Replace("\"rate\": \"2.00\"", "\"rate\": \"0\"", StringComparison.Ordinal), "energy.rate" },
        { FlatTariff("@C").Replace("\"type\": \"flat\"", "\"type\": \"wholesale\"", StringComparison.Ordinal), "energy.type" },
        { FlatTariff("@C").Replace("\"ZAR\"", "\"XYZ\"", StringComparison.Ordinal), "currency" },
        { FlatTariff("@C").Replace("\"Africa/Johannesburg\"", "\"Mars/Olympus\"", StringComparison.Ordinal), "timeZone" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public async Task A_bad_tariff_document_is_a_400_naming_the_field(string json, string field)
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("BAD-");
        var body = await Invalid(await PostJson(admin, "/api/v1/tariffs", json.Replace("@C", code, StringComparison.Ordinal)), field);
        Assert.Single(body["errors"]!.AsObject());
        await Problem(HttpStatusCode.NotFound, await admin.GetAsync($"/api/v1/tariffs/{code}", Ct));
    }

    [Fact]
    public async Task Malformed_json_or_another_content_type_is_refused_as_a_problem()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        await Problem(HttpStatusCode.BadRequest, await PostJson(admin, "/api/v1/tariffs", "{ \"code\": "));
        await Problem(HttpStatusCode.UnsupportedMediaType, await admin.PostAsync("/api/v1/tariffs", new StringContent(FlatTariff(Unique("T")), Encoding.UTF8, "text/plain"), Ct));
    }

    [Fact]
    public async Task Only_staff_publish_but_every_role_can_quote()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var vendor = server.Client(s.VendorKey);
        await Problem(HttpStatusCode.Forbidden, await PostJson(vendor, "/api/v1/tariffs", Versioned(Unique("T"), 1)));
        Assert.Equal(HttpStatusCode.OK, (await vendor.PostAsJsonAsync($"/api/v1/tariffs/{s.TariffCode}/quote", new { amount = "10.00" }, Ct)).StatusCode);
        using var anonymous = server.Client(apiKey: null);
        await Problem(HttpStatusCode.Unauthorized, await anonymous.PostAsJsonAsync($"/api/v1/tariffs/{s.TariffCode}/quote", new { amount = "10.00" }, Ct));
    }

    [Fact]
    public async Task A_quote_returns_a_breakdown_that_sums_to_the_amount_and_writes_nothing()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("TAR-");
        await Ok(await PostJson(admin, "/api/v1/tariffs", Versioned(code, 1)));
        var audit = await AuditCount(server);

        var q = await Ok(await admin.PostAsJsonAsync($"/api/v1/tariffs/{code}/quote", new { amount = "100.05" }, Ct));
        Assert.Equal(code, q["tariffCode"]!.GetValue<string>());
        Assert.Equal("100.05", q["gross"]!.GetValue<string>());
        var taxes = q["taxes"]!.AsArray().Sum(t => Minor(t!["amount"]));
        Assert.Equal(Minor(q["tax"]), taxes);
        Assert.Equal(10_005, taxes + Minor(q["fixedCharges"]) + Minor(q["debtRecovered"]) + Minor(q["energyCost"]) + Minor(q["carriedOut"]));
        Assert.Equal(q["energyWh"]!.GetValue<long>(), q["lines"]!.AsArray().Sum(l => l!["energyWh"]!.GetValue<long>()));
        // 2.00/kWh, VAT included: 100.05 buys 50.025 kWh; a token meter takes whole 0.1 kWh.
        Assert.Equal(50_000, q["energyWh"]!.GetValue<long>());
        Assert.Equal("0.05", q["carriedOut"]!.GetValue<string>());

        var smart = await Ok(await admin.PostAsJsonAsync($"/api/v1/tariffs/{code}/quote", new { amount = "100.05", resolutionWh = 1 }, Ct));
        Assert.Equal(50_025, smart["energyWh"]!.GetValue<long>());
        Assert.Equal("0.00", smart["carriedOut"]!.GetValue<string>());
        Assert.Equal(audit, await AuditCount(server));
    }

    [Fact]
    public async Task A_quote_under_inclining_blocks_buys_less_later_in_the_month_and_still_sums()
    {
        server.SkipUnlessAvailable();
        using var admin = server.Client();
        var code = Unique("IBT-");
        await Ok(await PostJson(admin, "/api/v1/tariffs", Blocks(code)));
        var early = await Ok(await admin.PostAsJsonAsync($"/api/v1/tariffs/{code}/quote", new { amount = "200.00", monthKwh = 0 }, Ct));
        var late = await Ok(await admin.PostAsJsonAsync($"/api/v1/tariffs/{code}/quote", new { amount = "200.00", monthKwh = 700 }, Ct));
        Assert.True(late["energyWh"]!.GetValue<long>() < early["energyWh"]!.GetValue<long>());
        foreach (var q in new[] { early, late })
        {
            var taxes = q["taxes"]!.AsArray().Sum(t => Minor(t!["amount"]));
            Assert.Equal(20_000, taxes + Minor(q["fixedCharges"]) + Minor(q["debtRecovered"]) + Minor(q["energyCost"]) + Minor(q["carriedOut"]));
        }
        // The sample's daily service charge is recovered from a fresh account's purchase.
        Assert.NotEqual("0.00", early["fixedCharges"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_quote_with_bad_input_is_a_400_naming_the_field_and_an_unknown_tariff_is_a_404()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var path = $"/api/v1/tariffs/{s.TariffCode}/quote";
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "0.00" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "-1.00" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "1.001" }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { }, Ct), "amount");
        await Invalid(await admin.PostAsJsonAsync(path, new { amount = "10.00", monthKwh = -1 }, Ct), "monthKwh");
        await Invalid(await PostJson(admin, path, """{"amount": 10.00}"""), "amount");
        await Problem(HttpStatusCode.NotFound, await admin.PostAsJsonAsync($"/api/v1/tariffs/{Unique("NOPE")}/quote", new { amount = "10.00" }, Ct));
        // The scenario's tariff applies from 2026-01-01: not before.
        await Problem(HttpStatusCode.NotFound, await admin.PostAsJsonAsync(path, new { amount = "10.00", at = "2025-12-31T12:00:00Z" }, Ct));
    }

    [Fact]
    public async Task A_quote_with_a_bad_meter_resolution_is_a_400_naming_resolutionWh()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var body = await Invalid(await admin.PostAsJsonAsync($"/api/v1/tariffs/{s.TariffCode}/quote", new { amount = "10.00", resolutionWh = 0 }, Ct), "resolutionWh");
        Assert.Null(body["errors"]!["monthKwh"]);
    }
}

public sealed class TariffApiSqliteTests(SqliteServer server) : TariffApiTests(server), IClassFixture<SqliteServer>;

public sealed class TariffApiPostgresTests(PostgresServer server) : TariffApiTests(server), IClassFixture<PostgresServer>;
