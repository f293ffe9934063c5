using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Tests.Worker;
using Prepay.CentralCredit.Worker;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Models;

/// <summary>
/// A switch to central credit is completed by the meter: it keeps counting its own credit down until it hands the
/// register over at a boundary of its reading interval, and from that boundary, not the switch's date, the server prices.
/// A switch back sells the central balance to the meter as the credit it starts from.
/// </summary>
public abstract class CreditHandoverTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_meter_hands_its_register_over_once_and_pricing_starts_at_that_boundary()
    {
        var switchAt = Instant.FromUtc(2026, 12, 1, 20, 0); // 22:00 in Johannesburg: night
        server.Clock.Reset(switchAt);
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", effectiveFrom = "2026-12-01T20:00:00Z", reason = "pilot" }, Ct));
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);

        // The meter is told; nothing is carried in and nothing priced until it answers.
        var told = await CommandsAsync(meterId);
        Assert.Equal(("setCreditMode", """{"mode":"central","from":"2026-12-01T20:00:00Z","creditWh":0}"""), Assert.Single(told));
        var pending = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct));
        Assert.Null(pending["handedOverAt"]);
        Assert.Equal(0, pending["carriedInMinor"]!.GetValue<long>());

        // A top-up after the switch's date goes to the central balance.
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));

        // Readings up to 20:30 were counted down in the meter; it hands over at 20:30 with 3 kWh, 1 kWh of them emergency credit.
        await CentralRounds.InsertAsync(server, meterId, Quarters(switchAt, 1, 2, 3));
        await CentralRounds.PriceAsync(server);
        Assert.Equal(1_000, await CentralRounds.BalanceAsync(server, meterId));
        await HandOverAsync(server, s.MeterNumber, switchAt + Duration.FromMinutes(30), creditWh: 3_000, emergencyOwedWh: 1_000);
        await CentralRounds.InsertAsync(server, meterId, Quarters(switchAt, 4));
        await CentralRounds.PriceAsync(server);

        // Carried in: (3 000 − 1 000) Wh at night, 1.00/kWh = 200 c + VAT ceil(30) → 230 c.
        // Priced: 20:45 and 21:00 only, 100 Wh at night each 10 c + VAT ceil(1.5) = 12 c, and the day's service charge
        // 425 + VAT ceil(63.75) = 489 c on the first. 1 000 + 230 − (12 + 12 + 489) = 717 c.
        Assert.Equal(717, await CentralRounds.BalanceAsync(server, meterId));
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            Assert.Equal([switchAt + Duration.FromMinutes(45), switchAt + Duration.FromMinutes(60)],
                await db.CentralCreditIntervals.Where(p => p.MeterId == meterId).OrderBy(p => p.At).Select(p => p.At).ToListAsync(Ct));
            Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
        }
        var statement = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct));
        Assert.Equal(230, statement["carriedInMinor"]!.GetValue<long>());
        Assert.Equal("2026-12-01T20:30:00Z", statement["handedOverAt"]!.GetValue<string>());

        // The same event again is stored once; a handover with no switch waiting for it carries nothing.
        await HandOverAsync(server, s.MeterNumber, switchAt + Duration.FromMinutes(30), creditWh: 3_000, emergencyOwedWh: 1_000);
        await HandOverAsync(server, s.MeterNumber, switchAt + Duration.FromMinutes(45), creditWh: 9_000);
        Assert.Equal(717, await CentralRounds.BalanceAsync(server, meterId));
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            Assert.Equal(1, await db.Audit.CountAsync(a => a.Action == "credit-model.handover" && a.Target == $"meter/{s.MeterNumber}", Ct));
        }
    }

    [Fact]
    public async Task A_keypad_meter_cannot_hold_its_credit_centrally_and_nothing_is_written()
    {
        var s = await CreateAsync(server, tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        var refused = await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", reason = "pilot" }, Ct);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!;
        Assert.EndsWith("no-central-mode", problem["type"]!.GetValue<string>());
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.False(await db.MeterCreditModels.AnyAsync(m => m.MeterId == meterId, Ct));
        Assert.False(await db.MeterCommands.AnyAsync(c => c.MeterId == meterId, Ct));
    }

    [Fact]
    public async Task A_switch_back_sells_the_central_balance_to_the_meter_as_the_credit_it_starts_from()
    {
        var at = Instant.FromUtc(2026, 12, 2, 8, 0); // 10:00 in Johannesburg: day, 3.00/kWh
        server.Clock.Reset(at);
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        await SwitchToCentralAsync(server, s.MeterNumber, at, creditWh: 2_000); // 600 c + VAT 90 → 690 c
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);
        Assert.Equal(1_690, await CentralRounds.BalanceAsync(server, meterId));

        using var admin = server.Client();
        server.Clock.Advance(Duration.FromMinutes(1));
        var future = await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model",
            new { model = "meter", effectiveFrom = "2026-12-02T09:00:00Z", reason = "back" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.NotNull(JsonNode.Parse(await future.Content.ReadAsStringAsync(Ct))!["errors"]!["effectiveFrom"]);

        var back = await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "meter", reason = "back to the keypad" }, Ct));
        // The most energy 1 690 c buys at 3.00/kWh + 15 % VAT: 4 896 Wh cost ceil(1 468.8) = 1 469 c + VAT ceil(220.35) = 221 c
        // = 1 690 c; 4 897 Wh would cost 1 470 + 221 = 1 691 c.
        Assert.Equal(1_690, back["carriedOutMinor"]!.GetValue<long>());
        Assert.Equal(4_896, back["carriedOutWh"]!.GetValue<long>());
        Assert.Equal(0, await CentralRounds.BalanceAsync(server, meterId));
        Assert.Equal(("setCreditMode", """{"mode":"meter","from":"2026-12-02T08:01:00Z","creditWh":4896}"""), (await CommandsAsync(meterId))[^1]);
        await using var scope = server.Scope();
        Assert.Empty(await LedgerStore.VerifyAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), Ct));
    }

    [Fact]
    public async Task A_handover_that_crosses_a_switch_back_is_carried_in_and_nothing_after_the_switch_back_is_priced()
    {
        var at = Instant.FromUtc(2026, 12, 3, 20, 0); // 22:00 in Johannesburg: night, 1.00/kWh
        server.Clock.Reset(at);
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "central", effectiveFrom = "2026-12-03T20:00:00Z", reason = "pilot" }, Ct));
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "10.00", currency = "ZAR" }), Ct));
        var meterId = await CentralRounds.MeterIdAsync(server, s.MeterNumber);

        // Switched back a minute later, before the meter answered: the top-up is sold to it (869 c + VAT 131 c for 8 690 Wh).
        server.Clock.Advance(Duration.FromMinutes(1));
        var back = await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model", new { model = "meter", reason = "changed our mind" }, Ct));
        Assert.Equal((1_000L, 8_690L), (back["carriedOutMinor"]!.GetValue<long>(), back["carriedOutWh"]!.GetValue<long>()));

        // The meter had already handed 3 kWh over at 20:15: carried in (300 c + VAT 45 c), and nothing after 20:01 is priced.
        await HandOverAsync(server, s.MeterNumber, at + Duration.FromMinutes(15), creditWh: 3_000);
        await CentralRounds.InsertAsync(server, meterId, Quarters(at, 2, 3));
        await CentralRounds.PriceAsync(server);
        Assert.Equal(345, await CentralRounds.BalanceAsync(server, meterId));
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.False(await db.CentralCreditIntervals.AnyAsync(p => p.MeterId == meterId, Ct));
        Assert.Equal(at + Duration.FromMinutes(1), (await db.CentralCreditStates.SingleAsync(x => x.MeterId == meterId, Ct)).PricedUntil);
        Assert.Empty(await LedgerStore.VerifyAsync(db, Ct));
    }

    private static IEnumerable<Instant> Quarters(Instant from, params int[] quarters) => quarters.Select(q => from + Duration.FromMinutes(15 * q));

    private async Task<List<(string, string)>> CommandsAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        var rows = await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.Where(c => c.MeterId == meterId)
            .OrderBy(c => c.Seq).Select(c => new { c.Type, c.Arguments }).ToListAsync(Ct);
        return rows.Select(r => (r.Type, r.Arguments)).ToList();
    }
}

public sealed class CreditHandoverSqliteTests(CentralCreditSqliteServer server) : CreditHandoverTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class CreditHandoverPostgresTests(CentralCreditPostgresServer server) : CreditHandoverTests(server), IClassFixture<CentralCreditPostgresServer>;
