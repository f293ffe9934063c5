using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterLink.Mqtt;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Observability.Tests;

/// <summary>
/// The Grafana dashboard in the repository (<c>deploy/grafana/prepay-dashboard.json</c>) charts only what a node
/// exports: after a vend, a meter's readings and a refused payload, every series its queries name is in a scrape of
/// <c>/metrics</c>. A renamed metric, or a panel for one never built, fails here rather than as an empty chart.
/// </summary>
public sealed partial class DashboardTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // A Prometheus series name in a query: words with underscores, not PromQL's functions and keywords.
    [GeneratedRegex(@"\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b")]
    private static partial Regex SeriesName();

    private static readonly HashSet<string> NotSeries = ["histogram_quantile", "service_instance_id", "http_route", "db_client_connection_state"];

    [Fact]
    public async Task Every_series_the_dashboard_charts_is_exported_by_a_node()
    {
        server.SkipUnlessAvailable();
        var dashboard = JsonNode.Parse(await File.ReadAllTextAsync(DashboardPath(), Ct))!;
        var queries = dashboard["panels"]!.AsArray().SelectMany(p => p!["targets"]!.AsArray().Select(t => t!["expr"]!.GetValue<string>())).ToList();
        var series = queries.SelectMany(q => SeriesName().Matches(q).Select(m => m.Groups[1].Value)).Where(n => !NotSeries.Contains(n)).ToHashSet();
        Assert.True(series.Count >= 12, $"the dashboard should chart the node's main series; found {string.Join(", ", series)}");

        // Something to count: a vend, a meter's readings, and a payload refused.
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "20.00", currency = "ZAR" }), Ct));
        var handler = server.Services.GetRequiredService<MeterMessageHandler>();
        var readings = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new ReadingsMessage(
            [new ReadingPayload(new DateTimeOffset(2026, 11, 23, 7, 45, 0, TimeSpan.Zero), 1_000, 250, 40_000, 2300, 1100, 253)]), ProtocolJson.Options);
        await (await handler.HandleAsync(s.MeterNumber, Topics.Readings, readings, Ct)).Stored;
        await handler.HandleAsync(s.MeterNumber, Topics.Readings, "{not json"u8.ToArray(), Ct);

        using var admin = server.Client();
        var key = (await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "grafana-" + Guid.NewGuid().ToString("N")[..8], role = "monitor" }, Ct)))["key"]!.GetValue<string>();
        using var monitor = server.Client(key);
        var missing = series.ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            var text = await monitor.GetStringAsync("/metrics", Ct);
            missing = [.. series.Where(name => !Regex.IsMatch(text, $"^{name}[{{ ]", RegexOptions.Multiline))];
            if (missing.Count > 0)
            {
                await Task.Delay(250, Ct);
            }
        }
        Assert.True(missing.Count == 0, $"charted by the dashboard but not exported: {string.Join(", ", missing)}");
    }

    private static string DashboardPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Prepay.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "deploy", "grafana", "prepay-dashboard.json");
    }
}
