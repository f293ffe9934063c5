using System.Net.Http.Json;
using System.Text;
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
/// A month of a central-credit meter on a real server: time-of-use consumption under a tariff whose second version
/// takes over mid-month, readings arriving late, twice and out of order, priced by two rounds at once (two nodes), and
/// an estimated gap later replaced by the real values. The balance the ledger keeps, the postings, and a figure worked
/// out by hand here from the tariff's numbers agree to the minor unit.
/// </summary>
public abstract class CentralCreditMonthTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];
    private static readonly Duration Quarter = Duration.FromMinutes(15);

    /// <summary>December 2026, local midnight (UTC+2).</summary>
    private static Instant Day(int day) => new LocalDate(2026, 12, day).AtStartOfDayInZone(Johannesburg).ToInstant();

    [Fact]
    public async Task A_month_of_time_of_use_consumption_leaves_the_central_balance_equal_to_the_ledger_and_to_the_hand_computed_figure()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        await Ok(await admin.PostAsync("/api/v1/tariffs", new StringContent(CentralTariffs.DayNight(s.TariffCode, 2, "2026-12-16", "1.20", "3.60"), Encoding.UTF8, "application/json"), Ct));
        var meterId = await MeterIdAsync(s.MeterNumber);

        // The meter hands over 10 kWh of credit (and no emergency credit owed) at the switch, the boundary of 00:00 local.
        await SwitchToCentralAsync(server, s.MeterNumber, Instant.FromUtc(2026, 11, 30, 22, 0), creditWh: 10_000);
        // Carried in at the handover (00:00 local, night, version 1): 10 kWh × 1.00 = 10.00, + VAT ceil(1.50) → 11.50.
        Assert.Equal(1150, (await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct)))["carriedInMinor"]!.GetValue<long>());

        // The top-up comes on the morning of the 1st, under central credit.
        server.Clock.Reset(Day(1) + Duration.FromHours(6));
        using var vendor = server.Client(s.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = s.MeterNumber, amount = "2000.00", currency = "ZAR" }), Ct));
        var commands = await CommandCountAsync(meterId);

        // Every quarter hour of December 100 Wh, except four quarters on the 25th (10:00–11:00) first estimated at 50 Wh.
        var gap = Enumerable.Range(0, 4).Select(i => Day(25) + Duration.FromHours(10) + Quarter * (i + 1)).ToHashSet();
        var all = Enumerable.Range(1, 31 * 96).Select(i => Day(1) + Quarter * i).ToList();
        var late = all.Where(at => at > Day(10) && at <= Day(11)).ToList();                // the 10th arrives after the 20th
        var onTime = all.Except(late).ToList();

        await InsertAsync(meterId, onTime.Where(at => at <= Day(21)), gap);
        await PriceAsTwoNodesAsync();
        await InsertAsync(meterId, late.AsEnumerable().Reverse(), gap);                    // late and in reverse order
        await InsertAsync(meterId, onTime.Where(at => at > Day(21)), gap);
        await InsertAsync(meterId, onTime.Where(at => at > Day(21) && at <= Day(22)), gap); // the 21st again: refused by the key
        await PriceAsTwoNodesAsync();
        await ReplaceEstimatesAsync(meterId, gap);
        await PriceAsTwoNodesAsync();
        await PriceAsTwoNodesAsync();

        // By hand. Each 15-minute interval is 100 Wh, priced alone, rounded up, VAT 15 % rounded up on it:
        //   version 1 (1st–15th): night 100 Wh × 1.00 = 10 c + VAT ceil(1.5) = 2 → 12 c; day 100 Wh × 3.00 = 30 c + ceil(4.5) = 5 → 35 c.
        //   version 2 (16th–31st): night × 1.20 = 12 c + ceil(1.8) = 2 → 14 c; day × 3.60 = 36 c + ceil(5.4) = 6 → 42 c.
        // A day has 36 night quarters (00:00–07:00, 22:00–24:00) and 60 day quarters, and a service charge of
        // 4.25 + VAT ceil(0.6375 × 100) = 64 c → 489 c, taken once on each day's first interval priced.
        //   day under version 1: 36 × 12 + 60 × 35 + 489 = 432 + 2 100 + 489 = 3 021 c; 15 days → 45 315 c.
        //   day under version 2: 36 × 14 + 60 × 42 + 489 = 504 + 2 520 + 489 = 3 513 c; 16 days → 56 208 c.
        // The estimated quarters (day, version 2: 50 Wh → 18 c + VAT ceil(2.7) = 3 → 21 c) are corrected by
        // 42 − 21 = 21 c each when their real 100 Wh arrive, so the month costs as if they had been right: 101 523 c.
        const long consumption = 45_315 + 56_208;
        // Balance: 11.50 carried in + 2 000.00 topped up − the month.
        const long expected = 1_150 + 200_000 - consumption;

        await using var check = server.Scope();
        var dbc = check.ServiceProvider.GetRequiredService<PrepayDb>();
        var account = AccountCode.MeterCentralCredit(meterId, "ZAR");
        var kept = await LedgerStore.BalanceAsync(dbc, account, Ct);
        var accountId = await dbc.Accounts.Where(a => a.Code == account.Value).Select(a => a.Id).SingleAsync(Ct);
        var credits = await dbc.Postings.Where(p => p.CreditAccountId == accountId).SumAsync(p => p.Amount, Ct);
        var debits = await dbc.Postings.Where(p => p.DebitAccountId == accountId).SumAsync(p => p.Amount, Ct);
        Assert.Equal(expected, kept);
        Assert.Equal(expected, credits - debits);
        Assert.Equal(consumption, await dbc.CentralCreditIntervals.Where(p => p.MeterId == meterId).SumAsync(p => p.ChargedMinor, Ct));
        Assert.Equal(31 * 96, await dbc.CentralCreditIntervals.CountAsync(p => p.MeterId == meterId, Ct));
        Assert.Equal(31, await dbc.CentralCreditDays.CountAsync(d => d.MeterId == meterId, Ct));
        Assert.Equal(4, await dbc.CentralCreditAdjustments.CountAsync(a => a.MeterId == meterId && a.CorrectionMinor == 21, Ct));
        Assert.Empty(await LedgerStore.VerifyAsync(dbc, Ct));
        // A top-up sends the meter nothing: its credit is central.
        Assert.Equal(commands, await CommandCountAsync(meterId));

        // On 1 January at 10:00: nothing consumed yet today; the last 7 days (25th–31st, version 2) cost 7 × 3 513 c,
        // 3 513 c a day, so the balance lasts floor(99 627 / 3 513) = 28 days.
        server.Clock.Reset(new LocalDate(2027, 1, 1).At(new LocalTime(10, 0)).InZoneStrictly(Johannesburg).ToInstant());
        var statement = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/central-credit", Ct));
        Assert.Equal(expected, statement["balanceMinor"]!.GetValue<long>());
        Assert.Equal("central", statement["model"]!.GetValue<string>());
        Assert.Equal(0, statement["todayDeductionsMinor"]!.GetValue<long>());
        Assert.Equal(3_513, statement["averageDailyMinor"]!.GetValue<long>());
        Assert.Equal(28, statement["daysLeft"]!.GetValue<long>());
        Assert.False(statement["exhausted"]!.GetValue<bool>());
    }

    private async Task PriceAsTwoNodesAsync()
    {
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        async Task Node()
        {
            while (await round.RunOnceAsync(Ct) > 0)
            {
            }
        }
        await Task.WhenAll(Node(), Node());
    }

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<int> CommandCountAsync(Guid meterId)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().MeterCommands.CountAsync(c => c.MeterId == meterId, Ct);
    }

    /// <summary>Stores readings as the head-end does (one row per meter and interval end; a repeat is refused by the key).</summary>
    private async Task InsertAsync(Guid meterId, IEnumerable<Instant> ats, HashSet<Instant> estimated)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var existing = (await db.Readings.Where(r => r.MeterId == meterId).Select(r => r.At).ToListAsync(Ct)).ToHashSet();
        foreach (var at in ats.Where(a => !existing.Contains(a)))
        {
            var estimate = estimated.Contains(at);
            db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = estimate ? 50 : 100, Quality = estimate ? "estimated" : "valid", QualityRule = estimate ? "linear" : null });
        }
        await db.SaveChangesAsync(Ct);
    }

    /// <summary>The real values of the estimated quarters arrive: written over the estimates with their adjustments, in one transaction, as the head-end does.</summary>
    private async Task ReplaceEstimatesAsync(Guid meterId, HashSet<Instant> gap)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        await using var tx = await db.BeginWriteAsync(Ct);
        foreach (var at in gap)
        {
            await db.Readings.Where(r => r.MeterId == meterId && r.At == at && r.Quality == "estimated")
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.DeltaWh, 100L).SetProperty(r => r.Quality, "valid").SetProperty(r => r.QualityRule, (string?)null), Ct);
            db.ReadingAdjustments.Add(new ReadingAdjustment { MeterId = meterId, At = at, PreviousWh = 50, NewWh = 100, Cause = "replaced", RecordedAt = server.Clock.GetCurrentInstant() });
        }
        await db.SaveChangesAsync(Ct);
        await tx.CommitAsync(Ct);
    }
}

public sealed class CentralCreditMonthSqliteTests(CentralCreditSqliteServer server) : CentralCreditMonthTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class CentralCreditMonthPostgresTests(CentralCreditPostgresServer server) : CentralCreditMonthTests(server), IClassFixture<CentralCreditPostgresServer>;
