using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Server.Web.Portal;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>
/// A room's tenancy: assigning a customer to premises starts it (<c>customerSince</c>), naming the same customer
/// again does not restart it, and what the portal shows of the meter (usage, purchases) counts from it, not from the
/// meter's installation; run once per database provider.
/// </summary>
public abstract class TenancyTests(ServerFixture server)
{
    private static Instant? SinceOf(System.Text.Json.Nodes.JsonNode premises) =>
        premises["customerSince"] is { } since ? InstantPattern.ExtendedIso.Parse(since.GetValue<string>()).Value : null;

    private async Task<System.Text.Json.Nodes.JsonNode> PremisesAsync(HttpClient admin, Scenario s) =>
        (await Ok(await admin.GetAsync($"/api/v1/sites/{s.SiteCode}/premises", Ct))).AsArray().Single(p => p!["label"]!.GetValue<string>() == s.Unit)!;

    [Fact]
    public async Task A_new_tenant_starts_a_tenancy_that_a_repeated_assignment_keeps_and_an_empty_room_ends()
    {
        var createdAt = server.Clock.GetCurrentInstant();
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        Assert.Equal(createdAt, SinceOf(await PremisesAsync(admin, s)));

        server.Clock.Advance(Duration.FromDays(1));
        var movedIn = server.Clock.GetCurrentInstant();
        var next = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "Ayanda Mthembu " + s.Suffix }, Ct)))["id"]!.GetValue<Guid>();
        var assigned = await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises/{s.Unit}", new { customerId = next }, Ct));
        Assert.Equal(movedIn, SinceOf(assigned));
        Assert.Contains(await AuditAsync(admin, "premises.update"), a => a["target"]!.GetValue<string>() == $"site/{s.SiteCode}/premises/{s.Unit}"
            && a["details"]!.GetValue<string>() == $"customer={s.CustomerId} -> customer={next}");

        // The same customer again is no new tenancy: nothing changes, nothing is audited.
        server.Clock.Advance(Duration.FromHours(1));
        var audit = await AuditCount(server);
        Assert.Equal(movedIn, SinceOf(await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises/{s.Unit}", new { customerId = next }, Ct))));
        Assert.Equal(movedIn, SinceOf(await PremisesAsync(admin, s)));
        Assert.Equal(audit, await AuditCount(server));

        Assert.Null(SinceOf(await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises/{s.Unit}", new { customerId = (Guid?)null }, Ct))));
    }

    [Fact]
    public async Task The_portal_shows_a_new_tenant_the_meters_usage_and_purchases_from_the_day_they_moved_in_only()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        var meterId = await InDb(server, db => db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct));
        var before = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));

        server.Clock.Advance(Duration.FromHours(6));
        var movedIn = server.Clock.GetCurrentInstant();
        var next = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name = "Ayanda Mthembu " + s.Suffix }, Ct)))["id"]!.GetValue<Guid>();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises/{s.Unit}", new { customerId = next }, Ct));
        server.Clock.Advance(Duration.FromHours(2));
        var now = server.Clock.GetCurrentInstant();
        var after = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
        // Readings every 15 minutes from 4 hours before the move to 2 hours after it: 100 Wh each before, 7 Wh after.
        await InDb(server, async db =>
        {
            for (var at = movedIn - Duration.FromHours(4); at <= now; at += Duration.FromMinutes(15))
            {
                db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = at <= movedIn ? 100 : 7, CreditWh = 1000 });
            }
            return await db.SaveChangesAsync(Ct);
        });

        await InDb(server, async db =>
        {
            var tenant = await CustomerMeters.FindAsync(db, next, s.MeterNumber, now, Ct);
            Assert.NotNull(tenant);
            Assert.Equal(movedIn, tenant.Since);
            var usage = await UsageSeries.ForMeterAsync(db, meterId, tenant.Since, null, now, Ct);
            Assert.Equal(8 * 7, usage.Hourly.Sum(h => h.Wh));
            Assert.Equal(8 * 7, usage.Daily.Sum(d => d.Wh));
            // The earlier tenant no longer has this meter at all.
            Assert.Null(await CustomerMeters.FindAsync(db, s.CustomerId, s.MeterNumber, now, Ct));
            return 0;
        });
        var vends = await InDb(server, db => db.Vends.Where(v => v.MeterNumber == s.MeterNumber).Select(v => new { v.Id, v.CustomerId }).ToListAsync(Ct));
        Assert.Equal(s.CustomerId, vends.Single(v => v.Id == before["id"]!.GetValue<Guid>()).CustomerId);
        Assert.Equal(next, vends.Single(v => v.Id == after["id"]!.GetValue<Guid>()).CustomerId);
    }
}

public sealed class TenancySqliteTests(SqliteServer server) : TenancyTests(server), IClassFixture<SqliteServer>;

public sealed class TenancyPostgresTests(PostgresServer server) : TenancyTests(server), IClassFixture<PostgresServer>;
