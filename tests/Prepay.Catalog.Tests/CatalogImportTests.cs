using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Catalog.Imports;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Catalog.Tests;

/// <summary>
/// Bulk import of the catalog over HTTP (issue 17, item 5): a bad file is refused with every problem by line and
/// column and nothing written; a dry run writes nothing; a good file lands whole; importing it again, or the export,
/// changes nothing; a row that disagrees with what is stored refuses the whole file. Then ten thousand meters.
/// </summary>
public abstract class CatalogImportTests(ServerFixture server)
{
    private const string Header = "site,site_name,site_kind,unit,customer_name,customer_phone,customer_email,meter,mode,currency,tariff,sgc,krn,ti,algorithm,base_date";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bad_file_is_refused_whole_with_every_problem_a_good_one_lands_whole_and_again_changes_nothing()
    {
        var s = await CreateAsync(server);
        var tag = s.Suffix.ToUpperInvariant();
        string Row(int i, string mode = "token", string site = "", string currency = "ZAR", string phone = "+27 82 555 0100") =>
            $"{(site == "" ? "IMP" + tag : site)},Imported {tag},residentialCommunity,U-{i},Customer {i},{phone},c{i}@example.org,77{tag[..4]}{i:00000},{mode},{currency},{s.TariffCode},123456,1,1,sta,1993";
        var good = string.Join("\r\n", [Header, .. Enumerable.Range(1, 5).Select(i => Row(i))]) + "\r\n";
        var bad = string.Join("\r\n", [Header, Row(1), Row(2, mode: "prepaid"), Row(3, currency: "XXX", phone: "call me"), Row(1).Replace(",U-1,", ",U-9,"), Row(5, site: "bad site!")]);
        using var admin = server.Client();
        var before = await CountsAsync();

        var refused = await PostAsync(admin, bad, dryRun: false);
        Assert.Equal(HttpStatusCode.UnprocessableContent, refused.StatusCode);
        var problems = (await Json(refused))["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]?.GetValue<string>())).ToList();
        Assert.Equal([(3, "mode"), (4, "currency"), (4, "customer_phone"), (5, "meter"), (6, "site")], problems);
        Assert.Equal(before, await CountsAsync());

        var checkedOnly = await Ok(await PostAsync(admin, good, dryRun: true));
        Assert.Equal(5, checkedOnly["plan"]!["meters"]!.GetValue<int>());
        Assert.Equal(before, await CountsAsync());

        var imported = await Ok(await PostAsync(admin, good, dryRun: false));
        Assert.Equal((1, 5, 5, 5, 5, 0), Plan(imported));
        Assert.Equal((before.Sites + 1, before.Premises + 5, before.Customers + 5, before.Meters + 5), await CountsAsync());
        var again = await Ok(await PostAsync(admin, good, dryRun: false));
        Assert.Equal((0, 0, 0, 0, 0, 5), Plan(again));
        var export = await (await admin.GetAsync("/api/v1/catalog/export", Ct)).Content.ReadAsStringAsync(Ct);
        // The phone is escaped against formula injection on the way out, and read back as it was.
        Assert.Contains($"IMP{tag},Imported {tag},ResidentialCommunity,U-3,Customer 3,\"'+27 82 555 0100\",c3@example.org,77{tag[..4]}00003,token,ZAR,{s.TariffCode},123456,1,1,Sta,1993", export, StringComparison.Ordinal);
        var reimported = await Ok(await PostAsync(admin, export, dryRun: false));
        Assert.Equal(0, reimported["plan"]!["meters"]!.GetValue<int>() + reimported["plan"]!["installations"]!.GetValue<int>() + reimported["plan"]!["sites"]!.GetValue<int>());
        var afterImport = await CountsAsync();

        // One row that disagrees with what is stored (the meter is a token meter) refuses the file; its new rows too.
        var clash = string.Join("\r\n", [Header, Row(6), Row(2, mode: "smart")]);
        var clashed = await PostAsync(admin, clash, dryRun: false);
        Assert.Equal(HttpStatusCode.UnprocessableContent, clashed.StatusCode);
        Assert.Contains("is a token meter", (await Json(clashed))["problems"]![0]!["problem"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(afterImport, await CountsAsync());

        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(vendor, good, dryRun: true)).StatusCode);
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await admin.PostAsync("/api/v1/catalog/import", json, Ct)).StatusCode);
    }

    [Fact]
    public async Task Ten_thousand_meters_are_refused_with_every_error_or_land_whole_and_a_second_import_changes_nothing()
    {
        var s = await CreateAsync(server);
        var tag = s.Suffix.ToUpperInvariant();
        var rows = Enumerable.Range(0, 10_000).Select(i =>
            $"T{tag}-{i / 500},Estate {i / 500},residentialCommunity,{i % 500:000},Household {i},,,{tag[..5]}{i:000000},token,ZAR,{s.TariffCode},600727,1,1,sta,1993").ToList();
        var good = Header + "\n" + string.Join("\n", rows) + "\n";
        var broken = rows.ToList();
        broken[99] = broken[99].Replace(",token,", ",tokne,", StringComparison.Ordinal);             // line 101
        broken[4_999] = broken[4_999].Replace(",600727,", ",6007270,", StringComparison.Ordinal);    // line 5001: seven digits
        broken[9_998] = broken[9_997].Replace("Household 9997", "Household 9998", StringComparison.Ordinal); // line 10000: meter and unit of line 9999
        using var admin = server.Client();
        var before = await CountsAsync();
        var clock = Stopwatch.StartNew();

        var refused = await PostAsync(admin, Header + "\n" + string.Join("\n", broken) + "\n", dryRun: false);

        Assert.Equal(HttpStatusCode.UnprocessableContent, refused.StatusCode);
        var problems = (await Json(refused))["problems"]!.AsArray().Select(p => (p!["line"]!.GetValue<int>(), p["column"]?.GetValue<string>())).ToList();
        Assert.Equal([(101, "mode"), (5001, "sgc"), (10000, "meter"), (10000, "unit")], problems);
        Assert.Equal(before, await CountsAsync());
        var refusedIn = clock.Elapsed;

        clock.Restart();
        var imported = await Ok(await PostAsync(admin, good, dryRun: false));
        var importedIn = clock.Elapsed;
        Assert.Equal((20, 10_000, 10_000, 10_000, 10_000, 0), Plan(imported));
        Assert.Equal((before.Sites + 20, before.Premises + 10_000, before.Customers + 10_000, before.Meters + 10_000), await CountsAsync());
        clock.Restart();
        var again = await Ok(await PostAsync(admin, good, dryRun: false));
        Assert.Equal((0, 0, 0, 0, 0, 10_000), Plan(again));
        Assert.Equal((before.Sites + 20, before.Premises + 10_000, before.Customers + 10_000, before.Meters + 10_000), await CountsAsync());
        TestContext.Current.TestOutputHelper?.WriteLine($"10,000 rows ({good.Length / 1024} KiB): refused in {refusedIn.TotalSeconds:0.0} s, imported in {importedIn.TotalSeconds:0.0} s, again in {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static (int, int, int, int, int, int) Plan(JsonNode answer)
    {
        var p = answer["plan"]!;
        return (p["sites"]!.GetValue<int>(), p["premises"]!.GetValue<int>(), p["customers"]!.GetValue<int>(), p["meters"]!.GetValue<int>(), p["installations"]!.GetValue<int>(), p["unchanged"]!.GetValue<int>());
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string csv, bool dryRun) =>
        await client.PostAsync($"/api/v1/catalog/import?dryRun={(dryRun ? "true" : "false")}", new StringContent(csv, Encoding.UTF8, "text/csv"), Ct);

    private async Task<(int Sites, int Premises, int Customers, int Meters)> CountsAsync()
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        return (await db.Sites.CountAsync(Ct), await db.Premises.CountAsync(Ct), await db.Customers.CountAsync(Ct), await db.Meters.CountAsync(Ct));
    }
}

public sealed class CatalogImportSqliteTests(SqliteServer server) : CatalogImportTests(server), IClassFixture<SqliteServer>;

public sealed class CatalogImportPostgresTests(PostgresServer server) : CatalogImportTests(server), IClassFixture<PostgresServer>;
