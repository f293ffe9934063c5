using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NodaTime;
using Prepay.Server.Observability;
using Prepay.Testing;
using Prepay.Vending.Vends;
using static Prepay.Testing.Scenario;

namespace Prepay.Observability.Tests;

/// <summary>
/// A node's metrics at <c>/metrics</c> in Prometheus' text format: only for keys allowed to read them (a Monitor key
/// reads them and nothing else), counting vends as they happen and measuring the command queue's backlog.
/// </summary>
public abstract partial class MetricsTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("""^prepay_vends_total\{[^}]*outcome="created"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex CreatedVends();

    private async Task<string> MonitorKeyAsync()
    {
        using var admin = server.Client();
        var created = await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "prometheus-" + Guid.NewGuid().ToString("N")[..8], role = "monitor" }, Ct));
        return created["key"]!.GetValue<string>();
    }

    private static async Task<long> CreatedVendsAsync(HttpClient monitor) => CreatedIn(await monitor.GetStringAsync("/metrics", Ct));

    private static long CreatedIn(string metrics)
    {
        var match = CreatedVends().Match(metrics);
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task Metrics_need_a_key_allowed_to_read_them_and_a_monitor_key_reads_nothing_else()
    {
        server.SkipUnlessAvailable();
        using var anonymous = server.Client(apiKey: null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics", Ct)).StatusCode);
        var s = await CreateAsync(server);
        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/metrics", Ct)).StatusCode);

        using var monitor = server.Client(await MonitorKeyAsync());
        var scrape = await monitor.GetAsync("/metrics", Ct);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.GetAsync("/api/v1/customers?limit=1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await monitor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "10.00", currency = "ZAR" }), Ct)).StatusCode);
    }

    [Fact]
    public async Task A_vend_is_counted_and_timed()
    {
        var s = await CreateAsync(server);
        using var monitor = server.Client(await MonitorKeyAsync());
        using var vendor = server.Client(s.VendorKey);
        using var measured = new MetricCollector<double>(server.Services.GetRequiredService<IMeterFactory>(), VendingMetrics.MeterName, "prepay.vend.duration");
        var before = await CreatedVendsAsync(monitor);
        await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "25.00", currency = "ZAR" }), Ct));
        var timed = Assert.Single(measured.GetMeasurementSnapshot());
        Assert.Equal("created", timed.Tags["outcome"]);
        Assert.InRange(timed.Value, 0, 60);
        // The exporter caches a scrape for a moment, and ASP.NET Core records a request's duration only once its
        // response is done: both show up within a few scrapes.
        var text = "";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            text = await monitor.GetStringAsync("/metrics", Ct);
            if (CreatedIn(text) > before && text.Contains("http_server_request_duration_seconds", StringComparison.Ordinal))
            {
                break;
            }
            await Task.Delay(200, Ct);
        }
        while (DateTime.UtcNow < deadline);
        Assert.True(CreatedIn(text) > before, $"prepay_vends_total{{outcome=\"created\"}} stayed at {before}");
        Assert.Contains("prepay_vend_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_head_ends_lanes_and_status_writer_are_exported()
    {
        using var monitor = server.Client(await MonitorKeyAsync());
        var text = await monitor.GetStringAsync("/metrics", Ct);
        Assert.Contains("prepay_mqtt_lane_depth", text, StringComparison.Ordinal);
        Assert.Contains("prepay_statuses_waiting", text, StringComparison.Ordinal);
        Assert.Contains("prepay_statuses_write_retries_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_command_backlog_counts_pending_commands_and_the_age_of_the_oldest()
    {
        // A smart meter's vend queues a credit command; nothing is connected to take it, so it waits.
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        var backlogs = server.Services.GetRequiredService<Backlogs>();
        var before = await backlogs.SampleAsync(Ct);
        await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "25.00", currency = "ZAR" }), Ct));
        server.Clock.Advance(Duration.FromMinutes(3));
        var after = await backlogs.SampleAsync(Ct);
        Assert.Equal(before.Commands + 1, after.Commands);
        Assert.True(after.OldestCommandSeconds >= 180, $"oldest pending command {after.OldestCommandSeconds} s old");

        using var monitor = server.Client(await MonitorKeyAsync());
        var text = await monitor.GetStringAsync("/metrics", Ct);
        Assert.Contains("prepay_commands_pending", text, StringComparison.Ordinal);
        Assert.Contains("prepay_alerts_outbox_pending", text, StringComparison.Ordinal);
    }
}

public sealed class MetricsSqliteTests(SqliteServer server) : MetricsTests(server), IClassFixture<SqliteServer>;

public sealed class MetricsPostgresTests(PostgresServer server) : MetricsTests(server), IClassFixture<PostgresServer>;
