using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>
/// The console's reports page for a signed-in operator: a report's table has the API's rows, its chart the table's
/// numbers summed per label, its CSV download is the API's CSV; a schedule is made (a bad address refused) and deleted
/// from the page; a customer is kept out.
/// </summary>
public abstract class ReportsPageTests(ReportsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_console_shows_a_report_as_chart_and_table_gives_its_CSV_and_keeps_its_schedules()
    {
        var world = await ReportsWorld.BuildAsync(server);
        using var staff = await Browser.OperatorAsync(server);
        var period = await ReportsWorld.PeriodAsync(server);
        var html = await staff.GetStringAsync($"/console/reports?report=revenue&{period}", Ct);
        var zone = System.Text.RegularExpressions.Regex.Match(html, "<span id=\"report-zone\">([^<]+)</span>").Groups[1].Value;
        Assert.Equal(ReportsWorld.Zone, zone);
        using var admin = server.Client();
        var api = await Ok(await admin.GetAsync($"/api/v1/reports/revenue?{period}", Ct));
        var rows = ReportsWorld.Rows(api);
        Assert.NotEmpty(rows);
        Assert.Equal(rows.Count, System.Text.RegularExpressions.Regex.Count(html[html.IndexOf("id=\"report-table\"", StringComparison.Ordinal)..], "<tr>") - 1);
        // The chart's bars: each component's amount summed over the days, the table's numbers in another form.
        var bars = rows.GroupBy(r => r["component"]!.GetValue<string>()).Select(g => g.Sum(r => r["amountMinor"]!.GetValue<long>()).ToString(CultureInfo.InvariantCulture));
        Assert.Contains($"data-values=\"{string.Join('|', bars)}\"", html, StringComparison.Ordinal);
        var csv = await staff.GetStringAsync($"/console/reports?handler=Csv&report=revenue&{period}", Ct);
        Assert.Equal(await admin.GetStringAsync($"/api/v1/reports/revenue?{period}&format=csv", Ct), csv);

        var page = $"/console/reports?report=consumption&groupBy=site&{period}";
        var token = await Browser.FormTokenAsync(staff, page);
        using var refused = await staff.PostAsync(page + "&handler=Schedule", Form(("cadence", "weekly"), ("recipients", "nobody"), ("__RequestVerificationToken", token)), Ct);
        Assert.Contains("recipients: &#x27;nobody&#x27; is not an email address", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var made = await staff.PostAsync(page + "&handler=Schedule", Form(("cadence", "weekly"), ("recipients", "site.manager@example.org, books@example.org"), ("__RequestVerificationToken", token)), Ct);
        Assert.Contains("consumption is scheduled weekly to site.manager@example.org, books@example.org.", await made.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var schedule = (await Ok(await admin.GetAsync("/api/v1/reports/schedules", Ct))).AsArray().Single(s => s!["report"]!.GetValue<string>() == "consumption")!;
        Assert.Equal(("site", "weekly", ReportsWorld.Zone), (schedule["groupBy"]!.GetValue<string>(), schedule["cadence"]!.GetValue<string>(), schedule["zone"]!.GetValue<string>()));
        Assert.StartsWith("operator:person/", schedule["createdBy"]!.GetValue<string>(), StringComparison.Ordinal);
        using var deleted = await staff.PostAsync(page + "&handler=Unschedule", Form(("id", schedule["id"]!.GetValue<string>()), ("__RequestVerificationToken", token)), Ct);
        Assert.Contains("The schedule is deleted.", await deleted.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain((await Ok(await admin.GetAsync("/api/v1/reports/schedules", Ct))).AsArray(), s => s!["report"]!.GetValue<string>() == "consumption");

        using var customer = await Browser.CustomerAsync(server, world.Debtor.CustomerId);
        Assert.NotEqual(HttpStatusCode.OK, (await customer.GetAsync("/console/reports", Ct)).StatusCode);

        static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(fields.ToDictionary(f => f.Name, f => f.Value));
    }
}

public sealed class ReportsPageSqliteTests(ReportsSqliteServer server) : ReportsPageTests(server), IClassFixture<ReportsSqliteServer>;

public sealed class ReportsPagePostgresTests(ReportsPostgresServer server) : ReportsPageTests(server), IClassFixture<ReportsPostgresServer>;
