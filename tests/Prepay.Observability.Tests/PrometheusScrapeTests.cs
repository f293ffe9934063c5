using System.Net.Http.Json;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Observability.Tests;

/// <summary>
/// A real Prometheus, holding a monitor key, scrapes a node and finds its vends and its command queue: the
/// exposition format, the names and the access control all as a Prometheus server sees them.
/// </summary>
public sealed class PrometheusScrapeTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_scrapes_the_node_and_finds_the_vends_and_the_command_queue()
    {
        PrometheusServer.SkipUnlessAvailable();
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        var key = (await Ok(await admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "prometheus", role = "monitor" }, Ct)))["key"]!.GetValue<string>();
        using var vendor = server.Client(s.VendorKey);
        for (var i = 0; i < 3; i++)
        {
            await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "20.00", currency = "ZAR" }), Ct));
        }

        await using var prometheus = new PrometheusServer();
        await prometheus.StartAsync(server.BaseAddress, key);
        await prometheus.WaitForAsync("up{job=\"prepay\"}", up => up == 1, TimeSpan.FromSeconds(60), Ct);
        await prometheus.WaitForAsync("sum(prepay_vends_total{outcome=\"created\"})", n => n >= 3, TimeSpan.FromSeconds(30), Ct);
        await prometheus.WaitForAsync("prepay_commands_pending", n => n >= 0, TimeSpan.FromSeconds(30), Ct);
        await prometheus.WaitForAsync("histogram_quantile(0.5, sum by (le) (prepay_vend_duration_seconds_bucket))", q => q > 0, TimeSpan.FromSeconds(30), Ct);
    }
}
