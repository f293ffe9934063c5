using System.Net;
using System.Text.Json.Nodes;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Statements.Tests.Portal;

/// <summary>
/// The customer's statement page: the signed-in customer's own meter day by day with its chart and the API's figures;
/// another customer's meter is not found; a meter that holds its own credit shows energy and top-ups, no balances.
/// </summary>
public abstract class PortalStatementTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_portal_shows_the_customers_own_statement_with_a_chart_and_no_other_customers_meter()
    {
        var meter = await CentralMeter.CreateAsync(server);
        await meter.TopUpAsync(CentralMeter.Local(27, 6), "50.00");
        await meter.LiveDayAsync(27);
        await meter.LiveDayAsync(28);
        var other = await Scenario.CreateAsync(server, mode: "smart");

        using var customer = await Browser.CustomerAsync(server, meter.Scenario.CustomerId);
        var path = $"/portal/meters/{meter.MeterNumber}/statement?from=2027-03-27&to=2027-03-28";
        using var page = await customer.GetAsync(path, Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("id=\"chart-statement\"", html, StringComparison.Ordinal);
        Assert.Contains("/web/portal-statement.js", html, StringComparison.Ordinal);
        Assert.Contains("data-model=\"central\"", html, StringComparison.Ordinal);

        // The page's chart data and table carry the API's figures.
        using var admin = server.Client();
        var api = await Ok(await admin.GetAsync($"/api/v1/customers/{meter.Scenario.CustomerId}/statements?from=2027-03-27&to=2027-03-28", Ct));
        var days = api["meters"]![0]!["days"]!.AsArray();
        var chart = JsonNode.Parse(System.Text.RegularExpressions.Regex.Match(html, "<script type=\"application/json\" id=\"statement-data\">(.*?)</script>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value)!;
        Assert.Equal(["27 Mar", "28 Mar"], chart["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(days.Select(d => d!["closingBalanceMinor"]!.GetValue<long>() / 100m), chart["balance"]!.AsArray().Select(b => b!.GetValue<decimal>()));
        foreach (var d in days)
        {
            var closing = (d!["closingBalanceMinor"]!.GetValue<long>() / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains($"<td data-line=\"closing-balance\">{closing}</td>", html, StringComparison.Ordinal);
        }
        // Its CSV is the API's for this meter.
        var csv = await customer.GetStringAsync(path + "&handler=Csv", Ct);
        Assert.Equal(await admin.GetStringAsync($"/api/v1/customers/{meter.Scenario.CustomerId}/statements?from=2027-03-27&to=2027-03-28&format=csv", Ct), csv);

        // Someone else's meter, and an address that is not a meter, are simply not found.
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/portal/meters/{other.MeterNumber}/statement", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/portal/meters/{other.MeterNumber}/statement?handler=Csv", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync("/portal/meters/nope/statement", Ct)).StatusCode);

        // The other customer's meter holds its own credit: energy and top-ups, balances not known.
        using var them = await Browser.CustomerAsync(server, other.CustomerId);
        using var theirs = await them.GetAsync($"/portal/meters/{other.MeterNumber}/statement", Ct);
        var theirHtml = await theirs.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.Contains("data-model=\"meter\"", theirHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("closing-balance", theirHtml, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await them.GetAsync(path, Ct)).StatusCode);
    }
}

public sealed class PortalStatementSqliteTests(StatementSqliteServer server) : PortalStatementTests(server), IClassFixture<StatementSqliteServer>;

public sealed class PortalStatementPostgresTests(StatementPostgresServer server) : PortalStatementTests(server), IClassFixture<StatementPostgresServer>;
