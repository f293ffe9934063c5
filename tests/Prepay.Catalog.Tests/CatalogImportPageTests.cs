using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Catalog.Tests;

/// <summary>
/// The console's import page (issue 17, item 5) through a signed-in administrator's browser: a file posted from the
/// page runs as a background job whose progress the page's script polls; a bad file ends with its problems by line and
/// column and nothing written; a good one is imported whole with its progress at its total; an operator is kept out.
/// </summary>
public abstract partial class CatalogImportPageTests(ServerFixture server)
{
    private const string Header = "site,site_name,site_kind,unit,customer_name,customer_phone,customer_email,meter,mode,currency,tariff,sgc,krn,ti,algorithm,base_date";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_bad_file_shows_its_problems_and_writes_nothing_a_good_one_imports_with_progress_to_its_total()
    {
        var s = await CreateAsync(server);
        var tag = s.Suffix.ToUpperInvariant();
        string Row(int i) => $"PG{tag}-{i / 100},Page estate {i / 100},residentialCommunity,{i % 100:000},Household {i},,,{tag[..5]}P{i:00000},token,ZAR,{s.TariffCode},600727,1,1,sta,1993";
        var rows = Enumerable.Range(0, 300).Select(Row).ToList();
        var good = Header + "\n" + string.Join("\n", rows) + "\n";
        var broken = rows.ToList();
        broken[9] = broken[9].Replace(",token,", ",tokne,", StringComparison.Ordinal);   // line 11
        broken[199] = broken[199].Replace(",ZAR,", ",XXX,", StringComparison.Ordinal);   // line 201
        using var admin = await Browser.AdminAsync(server);
        var before = await MetersAsync();

        var refused = await RunAsync(admin, Header + "\n" + string.Join("\n", broken) + "\n", "Import");
        Assert.Contains("Refused: 2 problem(s); nothing was written.", refused, StringComparison.Ordinal);
        Assert.Equal([("11", "mode"), ("201", "currency")], Problems(refused));
        Assert.Equal(before, await MetersAsync());

        var checkedOnly = await RunAsync(admin, good, "Check");
        Assert.Contains("Checked: nothing wrong.", checkedOnly, StringComparison.Ordinal);
        Assert.Contains("<td>300</td><td>3</td><td>300</td><td>300</td><td>300</td><td>300</td><td>0</td><td>0</td>", checkedOnly, StringComparison.Ordinal);
        Assert.Equal(before, await MetersAsync());

        var imported = await RunAsync(admin, good, "Import");
        Assert.Contains("Imported, all of it.", imported, StringComparison.Ordinal);
        Assert.Contains("<span id=\"import-checked\">300</span> of <span id=\"import-rows\">300</span> rows checked, <span id=\"import-written\">300</span> written", imported, StringComparison.Ordinal);
        Assert.Equal(before + 300, await MetersAsync());

        using var export = await admin.GetAsync("/console/import?handler=Export", Ct);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains($"{tag[..5]}P00299", await export.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_operator_is_kept_out_and_the_admin_nav_links_the_page()
    {
        using var op = await Browser.OperatorAsync(server);
        using var page = await op.GetAsync("/console/import", Ct);
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
        using var exported = await op.GetAsync("/console/import?handler=Export", Ct);
        Assert.NotEqual(HttpStatusCode.OK, exported.StatusCode);
        var console = await (await op.GetAsync("/console", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("href=\"/console/import\"", console, StringComparison.Ordinal);

        using var admin = await Browser.AdminAsync(server);
        var adminConsole = await (await admin.GetAsync("/console", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("href=\"/console/import\"", adminConsole, StringComparison.Ordinal);
    }

    /// <summary>Posts the file from the page, follows the job's progress as the page's script does until it is finished, and returns the finished page.</summary>
    private static async Task<string> RunAsync(HttpClient browser, string csv, string handler)
    {
        var token = await Browser.FormTokenAsync(browser, "/console/import");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "installations.csv");
        form.Add(new StringContent(token), "__RequestVerificationToken");
        using var posted = await browser.PostAsync($"/console/import?handler={handler}", form, Ct);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var location = posted.Headers.Location!.OriginalString;
        var job = location[(location.IndexOf("job=", StringComparison.Ordinal) + 4)..];
        JsonNode progress;
        var polls = 0;
        do
        {
            using var answer = await browser.GetAsync($"/console/import?handler=Progress&job={job}", Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            progress = JsonNode.Parse(await answer.Content.ReadAsStringAsync(Ct))!;
            polls++;
            if (!progress["finished"]!.GetValue<bool>())
            {
                await Task.Delay(100, Ct);
            }
        }
        while (!progress["finished"]!.GetValue<bool>() && polls < 1200);
        Assert.True(progress["finished"]!.GetValue<bool>(), "the import did not finish in two minutes");
        Assert.Equal("done", progress["phase"]!.GetValue<string>());
        using var page = await browser.GetAsync(location, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return await page.Content.ReadAsStringAsync(Ct);
    }

    private static List<(string, string)> Problems(string page)
    {
        var table = page[page.IndexOf("id=\"import-problems\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        return [.. ProblemRow().Matches(table).Select(m => (m.Groups[1].Value, m.Groups[2].Value))];
    }

    [GeneratedRegex(@"<tr><td>(\d+)</td><td>([^<]*)</td>")]
    private static partial Regex ProblemRow();

    private async Task<int> MetersAsync()
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.CountAsync(Ct);
    }
}

public sealed class CatalogImportPageSqliteTests(CatalogPageSqliteServer server) : CatalogImportPageTests(server), IClassFixture<CatalogPageSqliteServer>;

public sealed class CatalogImportPagePostgresTests(CatalogPagePostgresServer server) : CatalogImportPageTests(server), IClassFixture<CatalogPagePostgresServer>;
