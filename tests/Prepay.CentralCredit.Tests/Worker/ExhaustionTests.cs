using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Policy.Presets;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Worker;

/// <summary>
/// An exhausted central balance asks for one disconnection, however many readings follow; a top-up that brings it back
/// above zero asks for one reconnection. Whether a command may go out is the dispatcher's policy gate, not tested here.
/// </summary>
public abstract class ExhaustionTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Duration Quarter = Duration.FromMinutes(15);

    [Fact]
    public async Task An_exhausted_balance_queues_one_disconnect_and_a_top_up_one_connect()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        var now = server.Clock.GetCurrentInstant();
        await SwitchToCentralAsync(server, s.MeterNumber, now, creditWh: 0);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);

        // Day quarters (10:00 local on) of 100 Wh: 35 c each, the first also the day's service charge 489 c.
        // 1 000 − (524 + 13 × 35) = 21 c left after 14 quarters: still credit, nothing queued.
        var start = new LocalDate(2026, 11, 23).At(new LocalTime(10, 0)).InZoneStrictly(DateTimeZoneProviders.Tzdb["Africa/Johannesburg"]).ToInstant();
        await CentralRounds.InsertAsync(server, meterId, Enumerable.Range(1, 14).Select(i => start + Quarter * i));
        await CentralRounds.PriceAsync(server);
        Assert.Empty(await CommandsAsync(meterId));

        // The 15th quarter takes it to −14 c: one disconnect. Three more: still one.
        await CentralRounds.InsertAsync(server, meterId, [start + Quarter * 15]);
        await CentralRounds.PriceAsync(server);
        // In the round that priced it, not the next one (PostgreSQL applies postings to balances only at commit).
        Assert.Equal([("disconnect", ConsumptionRound.ExhaustedReference)], await CommandsAsync(meterId));
        await CentralRounds.InsertAsync(server, meterId, Enumerable.Range(16, 3).Select(i => start + Quarter * i));
        await CentralRounds.PriceAsync(server);
        var queued = await CommandsAsync(meterId);
        Assert.Equal([("disconnect", ConsumptionRound.ExhaustedReference)], queued);

        var statement = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct));
        Assert.Equal(-14 - 3 * 35, statement["balanceMinor"]!.GetValue<long>());
        Assert.True(statement["exhausted"]!.GetValue<bool>());

        // A top-up of 10.00 brings it to 881 c: one connect, once.
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var reconnections = server.Services.GetRequiredService<Reconnections>();
        Assert.Equal(1, await reconnections.RunOnceAsync(Ct));
        Assert.Equal(0, await reconnections.RunOnceAsync(Ct));
        Assert.Equal([("disconnect", ConsumptionRound.ExhaustedReference), ("connect", ConsumptionRound.ToppedUpReference)], await CommandsAsync(meterId));
    }

    [Fact]
    public async Task A_central_meter_runs_on_its_policys_emergency_credit_and_is_asked_to_disconnect_only_once_that_is_used_up()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        // The household's site is under a policy that offers 5.00 of emergency credit.
        var code = "ZA-EC-" + s.Suffix;
        var json = PolicyPresets.Json("ZA-MUNICIPAL").Replace("\"code\": \"ZA-MUNICIPAL\"", $"\"code\": \"{code}\"", StringComparison.Ordinal)
            .Replace("\"protectedCustomers\"", "\"emergencyCredit\": { \"amount\": \"5.00\" },\n  \"protectedCustomers\"", StringComparison.Ordinal);
        using (var body = new StringContent(json, Encoding.UTF8, "application/json"))
        {
            await Ok(await admin.PostAsync("/api/v1/disconnection-policies", body, Ct));
        }
        await Ok(await admin.PostAsJsonAsync("/api/v1/disconnection-policies/assignments", new { policy = code, site = s.SiteCode, effectiveFrom = "2026-01-01T00:00:00Z" }, Ct));
        await SwitchToCentralAsync(server, s.MeterNumber, server.Clock.GetCurrentInstant(), creditWh: 0);
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);

        // As above: 15 day quarters leave −14 c, now emergency credit; 13 more (35 c each) leave −469 c, still within 5.00.
        var start = new LocalDate(2026, 11, 23).At(new LocalTime(10, 0)).InZoneStrictly(DateTimeZoneProviders.Tzdb["Africa/Johannesburg"]).ToInstant();
        await CentralRounds.InsertAsync(server, meterId, Enumerable.Range(1, 28).Select(i => start + Quarter * i));
        await CentralRounds.PriceAsync(server);
        Assert.Empty(await CommandsAsync(meterId));

        // The 29th takes it to −504 c, past the emergency credit: one disconnect.
        await CentralRounds.InsertAsync(server, meterId, [start + Quarter * 29]);
        await CentralRounds.PriceAsync(server);
        var statement = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct));
        Assert.Equal(-504, statement["balanceMinor"]!.GetValue<long>());
        Assert.Equal([("disconnect", ConsumptionRound.ExhaustedReference)], await CommandsAsync(meterId));
        Assert.True(statement["exhausted"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Switching_needs_a_reason_an_admin_and_a_known_meter()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        var invalid = await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "elsewhere", reason = "" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        var missing = await admin.PutAsJsonAsync("/api/v1/meters/0000000000000/credit-model", new { model = "central", reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var vendor = server.Client(s.VendorKey);
        var refused = await vendor.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", reason = "x" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var notCentral = await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct);
        Assert.Equal(HttpStatusCode.Conflict, notCentral.StatusCode);

        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", reason = "pilot" }, Ct));
        var again = await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", reason = "pilot" }, Ct));
        Assert.Equal(0, again["carriedOutMinor"]!.GetValue<long>());
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(1, await db.MeterCreditModels.CountAsync(m => m.MeterId == db.Meters.Single(x => x.MeterNumber == s.MeterNumber).Id, Ct));
        Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "credit-model.switch" && a.Target == $"meter/{s.MeterNumber}", Ct));
    }

    private async Task<List<(string, string?)>> CommandsAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        // The switch's own setCreditMode is not what these tests count.
        var rows = await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.Where(c => c.MeterId == meterId && c.Type != "setCreditMode")
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Seq).Select(c => new { c.Type, c.Reference }).ToListAsync(Ct);
        return rows.Select(r => (r.Type, r.Reference)).ToList();
    }

}

public sealed class ExhaustionSqliteTests(CentralCreditSqliteServer server) : ExhaustionTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class ExhaustionPostgresTests(CentralCreditPostgresServer server) : ExhaustionTests(server), IClassFixture<CentralCreditPostgresServer>;
