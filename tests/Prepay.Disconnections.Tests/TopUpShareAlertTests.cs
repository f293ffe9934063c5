using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using Prepay.Alerts.Producers;
using Prepay.Policy.Presets;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Disconnections.Tests;

/// <summary>
/// The policy's alert thresholds in percent of the last top-up (UPPCL: 30, 10 and 0 %) reach the customer through the
/// alerts outbox, each once per top-up: a household under a copy of the UPPCL preset bought 25 kWh; its meter reports
/// 28 %, then 8 % (the 30 % alert already told, the 10 % one now), then nothing left. A household under the test
/// servers' default policy (no thresholds) hears nothing at the same share.
/// </summary>
public abstract class TopUpShareAlertTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(Scenario Scenario, Guid MeterId)> SoldAsync(bool underUppcl)
    {
        server.Clock.Reset(InstantPattern.ExtendedIso.Parse("2027-01-04T08:00:00Z").Value);
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "email", enabled = true, address = $"share{s.Suffix}@example.org" } } }, Ct));
        if (underUppcl)
        {
            var code = "UPA-" + s.Suffix;
            var json = PolicyPresets.Json("IN-UPPCL").Replace("\"code\": \"IN-UPPCL\"", $"\"code\": \"{code}\"", StringComparison.Ordinal);
            using var body = new StringContent(json, Encoding.UTF8, "application/json");
            await Ok(await admin.PostAsync("/api/v1/disconnection-policies", body, Ct));
            await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2027-01-01T00:00:00Z" }, Ct));
        }
        using var vendor = server.Client(s.VendorKey);
        // 50.00 at 2.00/kWh buys 25 kWh.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
        await using var scope = server.Scope();
        var id = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        return (s, id);
    }

    private async Task ReportsAsync(Guid meterId, long creditWh)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var status = await db.MeterStatus.FirstOrDefaultAsync(x => x.MeterId == meterId, Ct);
        if (status is null)
        {
            db.MeterStatus.Add(new MeterStatusRecord { MeterId = meterId, Online = true, LastSeenAt = server.Clock.GetCurrentInstant(), CreditWh = creditWh });
        }
        else
        {
            status.CreditWh = creditWh;
        }
        await db.SaveChangesAsync(Ct);
    }

    private async Task<List<string>> ShareAlertsAsync(Guid customerId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Notifications
            .Where(n => n.CustomerId == customerId && n.DedupKey.StartsWith("share:")).OrderBy(n => n.CreatedAt).ThenBy(n => n.DedupKey)
            .Select(n => n.Body).ToListAsync(Ct);
    }

    private Task<int> CheckAsync() => server.Services.GetRequiredService<LowCreditWatch>().CheckOnceAsync(Ct);

    [Fact]
    public async Task Each_threshold_of_the_policy_is_told_once_per_top_up()
    {
        var (s, meterId) = await SoldAsync(underUppcl: true);
        await ReportsAsync(meterId, 7_000); // 28 %
        Assert.Equal(1, await CheckAsync());
        Assert.Equal(0, await CheckAsync());
        await ReportsAsync(meterId, 2_000); // 8 %
        Assert.Equal(1, await CheckAsync());
        await ReportsAsync(meterId, 0);
        Assert.Equal(1, await CheckAsync());
        Assert.Equal(0, await CheckAsync());

        var bodies = await ShareAlertsAsync(s.CustomerId);
        Assert.Equal(3, bodies.Count);
        Assert.Contains(bodies, b => b.Contains("30 % or less", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("10 % or less", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.Contains("used all the credit of your last top-up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policy_without_thresholds_tells_nothing()
    {
        var (s, meterId) = await SoldAsync(underUppcl: false);
        await ReportsAsync(meterId, 2_000);
        Assert.Equal(0, await CheckAsync());
        Assert.Empty(await ShareAlertsAsync(s.CustomerId));
    }
}

public sealed class TopUpShareAlertSqliteTests(SqliteServer server) : TopUpShareAlertTests(server), IClassFixture<SqliteServer>;

public sealed class TopUpShareAlertPostgresTests(PostgresServer server) : TopUpShareAlertTests(server), IClassFixture<PostgresServer>;
