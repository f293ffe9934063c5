using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Worker;

/// <summary>
/// The queue of readings to price (<c>central_credit_pending</c>, filled by triggers on <c>readings</c>): what a meter
/// switched to central already had stored is queued by the switch, a meter holding its own credit queues nothing, a
/// write rolled back queues nothing, and a suspect reading dropped from the queue comes back when an operator edits it.
/// </summary>
public abstract class PricingQueueTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly Instant Switch = Instant.FromUtc(2026, 11, 30, 22, 0);

    [Fact]
    public async Task Readings_stored_before_the_switch_and_after_its_date_are_priced_and_a_meter_credit_meter_queues_none()
    {
        var central = await CreateAsync(server, mode: "smart", tariff: Tariff);
        var inMeter = await CreateAsync(server, mode: "smart", tariff: Tariff);
        var centralId = await MeterIdAsync(central.MeterNumber);
        var inMeterId = await MeterIdAsync(inMeter.MeterNumber);
        // Stored while both meters still held their own credit: one before the switch's date, two after it.
        await InsertAsync(centralId, (Switch - Duration.FromMinutes(15), 100, "valid"), (Switch + Duration.FromMinutes(15), 200, "valid"), (Switch + Duration.FromMinutes(30), 300, "valid"));
        await InsertAsync(inMeterId, (Switch + Duration.FromMinutes(15), 200, "valid"));
        Assert.Equal(0, await QueuedAsync(centralId));

        await SwitchAsync(central.MeterNumber);
        Assert.Equal(2, await QueuedAsync(centralId));
        await InsertAsync(centralId, (Switch + Duration.FromMinutes(45), 400, "valid"));
        await InsertAsync(inMeterId, (Switch + Duration.FromMinutes(30), 400, "valid"));
        await PriceAsync();

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal([200L, 300L, 400L], await db.CentralCreditIntervals.Where(p => p.MeterId == centralId).OrderBy(p => p.At).Select(p => p.Wh).ToListAsync(Ct));
        Assert.Equal(0, await db.CentralCreditIntervals.CountAsync(p => p.MeterId == inMeterId, Ct));
        Assert.Equal(0, await db.CentralCreditPending.CountAsync(p => p.MeterId == centralId || p.MeterId == inMeterId, Ct));
    }

    [Fact]
    public async Task A_write_rolled_back_queues_nothing_and_a_suspect_reading_is_priced_once_an_operator_edits_it()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: Tariff);
        var meterId = await MeterIdAsync(s.MeterNumber);
        await SwitchAsync(s.MeterNumber);
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = Switch + Duration.FromMinutes(15), DeltaWh = 100 });
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        }
        Assert.Equal(0, await QueuedAsync(meterId));

        var suspectAt = Switch + Duration.FromMinutes(30);
        await InsertAsync(meterId, (suspectAt, 90_000, "suspect"), (Switch + Duration.FromMinutes(45), 250, "valid"));
        await PriceAsync();
        Assert.Equal(0, await QueuedAsync(meterId)); // the suspect one dropped, the valid one priced
        Assert.Equal([250L], await PricedAsync(meterId));

        using var admin = server.Client();
        await Ok(await admin.PostAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/readings/{(suspectAt - Duration.FromMinutes(15)).ToString()}/edit",
            new { energyWh = 150, reason = "register misread" }, Ct));
        Assert.Equal(1, await QueuedAsync(meterId));
        await PriceAsync();
        Assert.Equal([150L, 250L], await PricedAsync(meterId));
        await PriceAsync();
        Assert.Equal([150L, 250L], await PricedAsync(meterId));
    }

    private static string Tariff(string code) => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00");

    private async Task SwitchAsync(string meterNumber)
    {
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{meterNumber}/credit-model",
            new { model = "central", effectiveFrom = "2026-11-30T22:00:00Z", reason = "queue" }, Ct));
        await HandOverAsync(server, meterNumber, Instant.FromUtc(2026, 11, 30, 22, 0), creditWh: 0);
    }

    private async Task PriceAsync()
    {
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
    }

    private async Task<Guid> MeterIdAsync(string meterNumber)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == meterNumber).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<int> QueuedAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().CentralCreditPending.CountAsync(p => p.MeterId == meterId, Ct);
    }

    private async Task<List<long>> PricedAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().CentralCreditIntervals.Where(p => p.MeterId == meterId)
            .OrderBy(p => p.At).Select(p => p.Wh).ToListAsync(Ct);
    }

    private async Task InsertAsync(Guid meterId, params (Instant At, long Wh, string Quality)[] readings)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var (at, wh, quality) in readings)
        {
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = wh, Quality = quality, QualityRule = quality == "suspect" ? "spike" : null });
        }
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class PricingQueueSqliteTests(CentralCreditSqliteServer server) : PricingQueueTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class PricingQueuePostgresTests(CentralCreditPostgresServer server) : PricingQueueTests(server), IClassFixture<CentralCreditPostgresServer>;
