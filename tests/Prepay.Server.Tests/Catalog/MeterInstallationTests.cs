using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Prepay.Testing;
using static Prepay.Server.Tests.Catalog.Calls;
using static Prepay.Testing.Scenario;

namespace Prepay.Server.Tests.Catalog;

/// <summary>Installing and moving meters between units, and recharge by unit afterwards; run once per database provider.</summary>
public abstract class MeterInstallationTests(ServerFixture server)
{
    private async Task<(Guid MeterId, List<(Guid PremisesId, bool Open)> History)> HistoryAsync(string meterNumber) =>
        await InDb(server, async db =>
        {
            var meterId = await db.Meters.Where(m => m.MeterNumber == meterNumber).Select(m => m.Id).SingleAsync(Ct);
            var rows = await db.MeterInstallations.Where(i => i.MeterId == meterId).ToListAsync(Ct);
            return (meterId, rows.OrderBy(r => r.RemovedAt is null).Select(r => (r.PremisesId, r.RemovedAt is null)).ToList());
        });

    private async Task<Guid> PremisesIdAsync(string site, string unit) =>
        await InDb(server, db => (from p in db.Premises join s in db.Sites on p.SiteId equals s.Id where s.Code == site && p.Label == unit select p.Id).SingleAsync(Ct));

    /// <summary>A second unit at the scenario's site, with a customer of its own.</summary>
    private async Task<(string Unit, string CustomerName)> SecondUnitAsync(HttpClient admin, Scenario s)
    {
        var name = "Bongani Zulu " + s.Suffix;
        var customerId = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name }, Ct)))["id"]!.GetValue<Guid>();
        await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises", new { label = "C-301", customerId }, Ct));
        return ("C-301", name);
    }

    [Fact]
    public async Task Moving_a_meter_to_another_unit_closes_the_old_installation_and_keeps_it_as_history()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (unit, _) = await SecondUnitAsync(admin, s);

        var moved = await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit }, Ct));
        Assert.Equal(unit, moved["unit"]!.GetValue<string>());

        var (_, history) = await HistoryAsync(s.MeterNumber);
        Assert.Equal(2, history.Count);
        Assert.Equal([(await PremisesIdAsync(s.SiteCode, s.Unit), false), (await PremisesIdAsync(s.SiteCode, unit), true)], history);

        var meter = await CatalogApiTests.MeterFromListAsync(admin, s.MeterNumber);
        Assert.Equal(unit, meter["unit"]!.GetValue<string>());
        var premises = (await Ok(await admin.GetAsync($"/api/v1/sites/{s.SiteCode}/premises", Ct))).AsArray();
        Assert.Null(premises.Single(p => p!["label"]!.GetValue<string>() == s.Unit)!["meterNumber"]);
        Assert.Equal(s.MeterNumber, premises.Single(p => p!["label"]!.GetValue<string>() == unit)!["meterNumber"]!.GetValue<string>());
        Assert.Contains(await AuditAsync(admin, "meter.install"), a => a["target"]!.GetValue<string>() == $"meter/{s.MeterNumber}" && a["details"]!.GetValue<string>() == $"{s.SiteCode}/{unit}");
    }

    [Fact]
    public async Task Moving_a_meter_back_and_forth_leaves_exactly_one_open_installation()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (unit, _) = await SecondUnitAsync(admin, s);
        foreach (var target in new[] { unit, s.Unit, unit })
        {
            await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit = target }, Ct));
        }
        var (_, history) = await HistoryAsync(s.MeterNumber);
        Assert.Equal(4, history.Count);
        Assert.Single(history, h => h.Open);
        Assert.Equal(await PremisesIdAsync(s.SiteCode, unit), history.Single(h => h.Open).PremisesId);
    }

    [Fact]
    public async Task Recharge_by_unit_follows_the_meter_to_its_new_unit_and_customer()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        var (unit, customerName) = await SecondUnitAsync(admin, s);
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit }, Ct));

        var vend = await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit, amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Equal(s.MeterNumber, vend["meterNumber"]!.GetValue<string>());
        Assert.Equal(unit, vend["receipt"]!["unit"]!.GetValue<string>());
        Assert.Equal(customerName, vend["receipt"]!["customerName"]!.GetValue<string>());

        var oldUnit = await Problem(HttpStatusCode.NotFound, await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = s.Unit, amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Contains(s.Unit, oldUnit["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        // By meter number the vend reaches the same meter and the customer now living with it.
        var byNumber = await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Equal(unit, byNumber["receipt"]!["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Installing_a_meter_where_it_already_is_changes_nothing()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var (_, before) = await HistoryAsync(s.MeterNumber);
        var audit = await AuditCount(server);
        var again = await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit = s.Unit }, Ct));
        Assert.Equal(s.Unit, again["unit"]!.GetValue<string>());
        var (_, after) = await HistoryAsync(s.MeterNumber);
        Assert.Equal(before, after);
        Assert.Equal(audit, await AuditCount(server));
    }

    [Fact]
    public async Task A_unit_that_has_another_meter_is_refused_with_409_and_both_meters_stay_put()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        var second = "0402" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        await Ok(await admin.PostAsJsonAsync("/api/v1/meters", new { meterNumber = second, mode = "token", currency = "ZAR", tariffCode = s.TariffCode }, Ct));

        var body = await Problem(HttpStatusCode.Conflict, await admin.PutAsJsonAsync($"/api/v1/meters/{second}/installation", new { site = s.SiteCode, unit = s.Unit }, Ct));
        Assert.Equal("urn:prepay:problem:premises-occupied", body["type"]!.GetValue<string>());
        Assert.Empty((await HistoryAsync(second)).History);
        Assert.Single((await HistoryAsync(s.MeterNumber)).History, h => h.Open);
        Assert.Equal(s.Unit, (await CatalogApiTests.MeterFromListAsync(admin, s.MeterNumber))["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task Installing_an_unknown_meter_is_a_404_and_at_an_unknown_unit_a_400_naming_the_unit()
    {
        var s = await CreateAsync(server, floatAmount: "0");
        using var admin = server.Client();
        await Problem(HttpStatusCode.NotFound, await admin.PutAsJsonAsync("/api/v1/meters/0499999999998/installation", new { site = s.SiteCode, unit = s.Unit }, Ct));
        await Invalid(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit = "Z-999" }, Ct), "unit");
        await Invalid(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = Unique("NOPE"), unit = s.Unit }, Ct), "unit");
        Assert.Single((await HistoryAsync(s.MeterNumber)).History);
    }

    [Fact]
    public async Task A_meter_moved_to_a_unit_without_a_customer_cannot_be_recharged_until_one_moves_in()
    {
        var s = await CreateAsync(server);
        using var admin = server.Client();
        using var vendor = server.Client(s.VendorKey);
        await Ok(await admin.PostAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises", new { label = "EMPTY-1" }, Ct));
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/installation", new { site = s.SiteCode, unit = "EMPTY-1" }, Ct));

        var refused = await Problem(HttpStatusCode.UnprocessableEntity, await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = "EMPTY-1", amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Equal("urn:prepay:problem:no-customer", refused["type"]!.GetValue<string>());
        Assert.Equal("10000.00", (await Ok(await vendor.GetAsync($"/api/v1/vendors/{s.VendorCode}", Ct)))["float"]!.GetValue<string>());

        var name = "Nomsa Khumalo " + s.Suffix;
        var customerId = (await Ok(await admin.PostAsJsonAsync("/api/v1/customers", new { name }, Ct)))["id"]!.GetValue<Guid>();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/sites/{s.SiteCode}/premises/EMPTY-1", new { customerId }, Ct));
        var vend = await Ok(await vendor.SendAsync(Vend(new { site = s.SiteCode, unit = "EMPTY-1", amount = "20.00", currency = "ZAR" }), Ct));
        Assert.Equal(name, vend["receipt"]!["customerName"]!.GetValue<string>());
    }
}

public sealed class MeterInstallationSqliteTests(SqliteServer server) : MeterInstallationTests(server), IClassFixture<SqliteServer>;

public sealed class MeterInstallationPostgresTests(PostgresServer server) : MeterInstallationTests(server), IClassFixture<PostgresServer>;
