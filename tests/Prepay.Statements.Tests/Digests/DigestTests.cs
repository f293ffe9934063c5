using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Prepay.Statements.Digests;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Statements.Tests.Digests;

/// <summary>
/// The statement digest: a customer who opted in gets exactly one digest per period in the alerts outbox however often
/// the job runs, and on however many nodes at once; a customer who did not gets none.
/// </summary>
public abstract class DigestTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_opted_in_customer_gets_one_digest_per_period_however_often_the_job_runs()
    {
        var daily = await CentralMeter.CreateAsync(server);
        var weekly = await CentralMeter.CreateAsync(server);
        var silent = await CentralMeter.CreateAsync(server);
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{daily.Scenario.CustomerId}/statement-digest", new { frequency = "daily" }, Ct));
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{weekly.Scenario.CustomerId}/statement-digest", new { frequency = "weekly" }, Ct));
        Assert.Equal("weekly", (await Ok(await admin.GetAsync($"/api/v1/customers/{weekly.Scenario.CustomerId}/statement-digest", Ct)))["frequency"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/customers/{daily.Scenario.CustomerId}/statement-digest", new { frequency = "hourly" }, Ct)).StatusCode);
        await daily.LiveDayAsync(27);
        await daily.LiveDayAsync(28);

        var job = server.Services.GetRequiredService<StatementDigests>();
        async Task RunAsTwoNodesAsync() => await Task.WhenAll(job.RunOnceAsync(Ct), job.RunOnceAsync(Ct));

        // Monday 29 March 2027 at 07:00 in London: the 28th is summed up (the daily), and the week of 22–28 March.
        server.Clock.Reset(CentralMeter.Local(29, 7));
        await RunAsTwoNodesAsync();
        await RunAsTwoNodesAsync();
        // Later the same day, and the next morning: the daily moves on to the 29th, the weekly has nothing new.
        server.Clock.Reset(CentralMeter.Local(29, 18));
        await job.RunOnceAsync(Ct);
        server.Clock.Reset(CentralMeter.Local(30, 7));
        await RunAsTwoNodesAsync();

        var dailies = await DigestsAsync(daily.Scenario.CustomerId);
        Assert.Equal([$"digest:{daily.Scenario.CustomerId:N}:2027-03-28:email", $"digest:{daily.Scenario.CustomerId:N}:2027-03-29:email"], dailies.Select(n => n.DedupKey));
        Assert.All(dailies, n => Assert.Equal(NotificationChannel.Email, n.Channel));
        // The 28th's digest gives the day's figures from the statement.
        var statement = await Ok(await admin.GetAsync($"/api/v1/customers/{daily.Scenario.CustomerId}/statements?from=2027-03-28&to=2027-03-28", Ct));
        var day = statement["meters"]![0]!["days"]![0]!;
        var taken = (day["deductionsMinor"]!.GetValue<long>() / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"Meter {daily.MeterNumber}: used 9.200 kWh, taken ZAR {taken}", dailies[0].Body, StringComparison.Ordinal);
        Assert.Contains("28 Mar 2027", dailies[0].Subject, StringComparison.Ordinal);

        var weeklies = await DigestsAsync(weekly.Scenario.CustomerId);
        Assert.Equal([$"digest:{weekly.Scenario.CustomerId:N}:2027-W12:email"], weeklies.Select(n => n.DedupKey));
        Assert.Contains("22 Mar 2027 to 28 Mar 2027", weeklies[0].Subject, StringComparison.Ordinal);
        Assert.Empty(await DigestsAsync(silent.Scenario.CustomerId));

        // Opting out stops the next ones.
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{daily.Scenario.CustomerId}/statement-digest", new { frequency = "none" }, Ct));
        server.Clock.Reset(CentralMeter.Local(31, 7));
        await job.RunOnceAsync(Ct);
        Assert.Equal(2, (await DigestsAsync(daily.Scenario.CustomerId)).Count);
    }

    private async Task<List<NotificationRecord>> DigestsAsync(Guid customerId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Notifications.AsNoTracking()
            .Where(n => n.CustomerId == customerId && n.Kind == StatementDigests.Kind).OrderBy(n => n.DedupKey).ToListAsync(Ct);
    }
}

public sealed class DigestSqliteTests(StatementSqliteServer server) : DigestTests(server), IClassFixture<StatementSqliteServer>;

public sealed class DigestPostgresTests(StatementPostgresServer server) : DigestTests(server), IClassFixture<StatementPostgresServer>;
