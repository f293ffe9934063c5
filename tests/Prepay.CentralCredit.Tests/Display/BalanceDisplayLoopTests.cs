using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Display;
using Prepay.CentralCredit.Tests.Worker;
using Prepay.CentralCredit.Worker;
using Prepay.Ledger.Accounts;
using Prepay.Meter.Display;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Display;

/// <summary>
/// A virtual meter on MQTT switched to central credit, over the real loop: it hands its register over at a reading
/// boundary and never cuts itself after, its readings are priced on the server from that boundary, the balance goes to
/// its display (<see cref="BalanceDisplays"/>), and the meter reports back what it shows.
/// </summary>
public abstract class BalanceDisplayLoopTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task After_a_pricing_round_the_meter_displays_the_server_balance_and_a_top_up_is_shown_at_once()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        var loop = new LoopHarness(server, s);
        // Half a kilowatt-hour of its own: counted down by the meter, it would run out and cut within the two hours below.
        await using var agent = await loop.AgentAsync(initialCreditWh: 500);
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model",
            new { model = "central", effectiveFrom = server.Clock.GetCurrentInstant().ToString(), reason = "central credit" }, Ct));
        await loop.VendAsync("50.00");
        var meterId = await MeterIdAsync(s.MeterNumber);
        await LoopHarness.EventuallyAsync(async () => await agent.ReadAsync(m => m.PendingCreditModeChange, Ct) is not null, "the meter is told to hand its credit over");

        // Two hours: the meter hands its register over at its next reading boundary, then its consumption is priced here.
        server.Clock.Advance(Duration.FromHours(2));
        await agent.AdvanceAsync(server.Clock.GetCurrentInstant(), Ct);
        await agent.FlushAsync(Ct);
        await LoopHarness.EventuallyAsync(async () => await ReadingCountAsync(meterId) >= 8, "the readings are stored");
        await LoopHarness.EventuallyAsync(async () => (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct)))["handedOverAt"] is not null,
            "the handover is booked");
        Assert.Equal(Prepay.Meter.Credit.CreditMode.Central, await agent.ReadAsync(m => m.CreditMode, Ct));
        Assert.Equal(Prepay.Meter.Registers.RelayState.Connected, await agent.ReadAsync(m => m.Relay, Ct)); // never cut itself
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
        var balance = await BalanceAsync(meterId);
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            // Carried in from what the meter handed over (less than its 500 Wh: it counted down until the boundary).
            var model = await db.MeterCreditModels.SingleAsync(m => m.MeterId == meterId, Ct);
            var handedOverAt = model.HandedOverAt!.Value;
            Assert.InRange(model.HandedOverWh!.Value, 1, 499);
            Assert.True(model.CarriedInMinor > 0);
            var charged = await db.CentralCreditIntervals.Where(p => p.MeterId == meterId).SumAsync(p => p.ChargedMinor, Ct);
            Assert.True(await db.CentralCreditIntervals.CountAsync(p => p.MeterId == meterId, Ct) >= 6, "consumption after the handover was priced");
            Assert.False(await db.CentralCreditIntervals.AnyAsync(p => p.MeterId == meterId && p.At <= handedOverAt, Ct), "nothing the meter counted was priced");
            Assert.Equal(5_000 + model.CarriedInMinor - charged, balance);
            Assert.False(await db.MeterEvents.AnyAsync(e => e.MeterId == meterId && e.Type == "creditExhausted", Ct));
        }

        var displays = server.Services.GetRequiredService<BalanceDisplays>();
        Assert.Equal(1, await displays.RunOnceAsync(Ct));
        await LoopHarness.EventuallyAsync(async () => await agent.ReadAsync(m => m.ShownBalance, Ct) is { Minor: var shown } && shown == balance, "the meter displays the balance");
        await LoopHarness.EventuallyAsync(async () => (await StatusAsync(meterId))?.DisplayedBalanceMinor == balance, "the meter reports what it displays");
        await LoopHarness.EventuallyAsync(async () => await LastDisplayStateAsync(meterId) == CommandState.Acknowledged, "the display is acknowledged");
        Assert.Equal("ZAR", (await agent.ReadAsync(m => m.ShownBalance, Ct))!.Currency);
        Assert.Equal(0, await displays.RunOnceAsync(Ct)); // told already

        // A top-up is shown at once, inside the display interval.
        await loop.VendAsync("10.00");
        Assert.Equal(balance + 1_000, await BalanceAsync(meterId));
        Assert.Equal(1, await displays.RunOnceAsync(Ct));
        await LoopHarness.EventuallyAsync(async () => await agent.ReadAsync(m => m.ShownBalance, Ct) is { Minor: var shown } && shown == balance + 1_000, "the meter displays the top-up");

        // A fall inside the interval waits for it; after it, the new balance goes.
        server.Clock.Advance(Duration.FromMinutes(30));
        await agent.AdvanceAsync(server.Clock.GetCurrentInstant(), Ct);
        await agent.FlushAsync(Ct);
        await LoopHarness.EventuallyAsync(async () => await ReadingCountAsync(meterId) >= 10, "more readings are stored");
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
        var fallen = await BalanceAsync(meterId);
        Assert.True(fallen < balance + 1_000);
        server.Clock.Advance(Duration.FromMinutes(-29)); // the fake clock goes back to 1 minute after the top-up's display
        Assert.Equal(0, await displays.RunOnceAsync(Ct));
        server.Clock.Advance(Duration.FromMinutes(29));
        Assert.Equal(1, await displays.RunOnceAsync(Ct));
        await LoopHarness.EventuallyAsync(async () => await agent.ReadAsync(m => m.ShownBalance, Ct) is { Minor: var shown } && shown == fallen, "the meter displays the fall");
    }

    [Fact]
    public async Task Meters_that_hold_their_own_credit_are_told_nothing()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        await new LoopHarness(server, s).VendAsync("10.00");
        var displays = server.Services.GetRequiredService<BalanceDisplays>();
        await displays.RunOnceAsync(Ct);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.False(await db.MeterCommands.AnyAsync(c => c.MeterNumber == s.MeterNumber && c.Type == "showBalance", Ct));
    }

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<long> BalanceAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await LedgerStore.BalanceAsync(scope.ServiceProvider.GetRequiredService<PrepayDb>(), AccountCode.MeterCentralCredit(meterId, "ZAR"), Ct);
    }

    private async Task<int> ReadingCountAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Readings.CountAsync(r => r.MeterId == meterId, Ct);
    }

    private async Task<MeterStatusRecord?> StatusAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterStatus.AsNoTracking().FirstOrDefaultAsync(m => m.MeterId == meterId, Ct);
    }

    private async Task<CommandState?> LastDisplayStateAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.Where(c => c.MeterId == meterId && c.Type == "showBalance")
            .OrderByDescending(c => c.Seq).Select(c => (CommandState?)c.State).FirstOrDefaultAsync(Ct);
    }
}

public sealed class BalanceDisplayLoopSqliteTests(CentralCreditSqliteServer server) : BalanceDisplayLoopTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class BalanceDisplayLoopPostgresTests(CentralCreditPostgresServer server) : BalanceDisplayLoopTests(server), IClassFixture<CentralCreditPostgresServer>;
