using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Ledger.Accounts;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Worker;

/// <summary>
/// Monthly blocks under central credit: the month's energy priced so far decides the block, a late reading is priced on
/// top of what the month already holds (the documented assumption in <c>IntervalPricing</c>), and a new month starts
/// again from the first block.
/// </summary>
public abstract class MonthlyBlockTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    /// <summary>The first 1 kWh of a month at 1.00, the rest at 2.00; no fixed charge, no tax.</summary>
    private static string Blocks(string code) => $$"""
        { "code": "{{code}}", "name": "Central blocks", "version": 1, "effectiveFrom": "2026-01-01",
          "timeZone": "Africa/Johannesburg", "currency": "ZAR",
          "energy": { "type": "incliningBlock", "blocks": [ { "uptoKwh": 1, "rate": "1.00" }, { "rate": "2.00" } ] } }
        """;

    private static Instant Local(int month, int day, int hour) => new LocalDate(2026, month, day).At(new LocalTime(hour, 0)).InZoneStrictly(Johannesburg).ToInstant();

    [Fact]
    public async Task The_month_crosses_into_the_second_block_and_a_late_reading_is_priced_on_top_of_it()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: Blocks);
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model",
            new { model = "central", effectiveFrom = "2026-11-30T22:00:00Z", reason = "blocks" }, Ct));
        await HandOverAsync(server, s.MeterNumber, Instant.FromUtc(2026, 11, 30, 22, 0), creditWh: 0);
        Guid meterId;
        await using (var scope = server.Scope())
        {
            meterId = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        }

        // 1 December 10:00 and 10:15, 600 Wh each; then 10:30 arrives late, after 2 January.
        await InsertAsync(meterId, (Local(12, 1, 10) + Duration.FromMinutes(15), 600), (Local(12, 1, 10) + Duration.FromMinutes(30), 600));
        await PriceAsync();
        await InsertAsync(meterId, (Local(12, 31, 23) + Duration.FromMinutes(15), 100), (new LocalDate(2027, 1, 2).At(new LocalTime(10, 15)).InZoneStrictly(Johannesburg).ToInstant(), 600));
        await PriceAsync();
        await InsertAsync(meterId, (Local(12, 1, 10) + Duration.FromMinutes(45), 300));
        await PriceAsync();

        // By hand: December: 600 Wh × 1.00 = 60 c; then 400 Wh × 1.00 + 200 Wh × 2.00 = 40 + 40 = 80 c (the block's
        // 1 kWh filled); 23:00 on the 31st: 100 Wh × 2.00 = 20 c; the late 10:30 quarter: 300 Wh × 2.00 = 60 c.
        // January starts again: 600 Wh × 1.00 = 60 c. Total 60 + 80 + 20 + 60 + 60 = 280 c.
        await using var check = server.Scope();
        var db = check.ServiceProvider.GetRequiredService<PrepayDb>();
        Assert.Equal(-280, await LedgerStore.BalanceAsync(db, AccountCode.MeterCentralCredit(meterId, "ZAR"), Ct));
        var charged = await db.CentralCreditIntervals.Where(p => p.MeterId == meterId).OrderBy(p => p.At).Select(p => p.ChargedMinor).ToListAsync(Ct);
        Assert.Equal([60, 80, 60, 20, 60], charged);
    }

    private async Task PriceAsync()
    {
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
    }

    private async Task InsertAsync(Guid meterId, params (Instant At, long Wh)[] readings)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var (at, wh) in readings)
        {
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = wh });
        }
        await db.SaveChangesAsync(Ct);
    }
}

public sealed class MonthlyBlockSqliteTests(CentralCreditSqliteServer server) : MonthlyBlockTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class MonthlyBlockPostgresTests(CentralCreditPostgresServer server) : MonthlyBlockTests(server), IClassFixture<CentralCreditPostgresServer>;
