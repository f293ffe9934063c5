using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Comparison;
using Prepay.CentralCredit.Tests.Worker;
using Prepay.Domain.Energy;
using Prepay.Domain.Money;
using Prepay.HeadEnd.Commands;
using Prepay.MeterLink.Commands;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Comparison;

/// <summary>
/// The daily comparison of the meter's and the server's view of a balance (<see cref="BalanceComparisons"/>): nothing on a
/// healthy meter, exactly the injected difference on one that ignored what it was told or whose register changed
/// behind the server's back, each meter and day written once, and the listing by date for operators only.
/// </summary>
public abstract class BalanceComparisonTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    private LocalDate Today => server.Clock.GetCurrentInstant().InZone(Johannesburg).Date;

    private static Instant At(LocalDate day, int hour) => day.At(new LocalTime(hour, 0)).InZoneStrictly(Johannesburg).ToInstant();

    [Fact]
    public async Task A_central_meter_displaying_what_it_was_told_differs_by_nothing_and_a_second_run_writes_nothing()
    {
        var (number, id) = await CentralMeterAsync();
        var day = Today.PlusDays(-3);
        await TellAsync(id, number, 4_200, At(day, 9), acknowledged: true);
        await ReportAsync(id, 4_200, At(day, 9));

        var comparisons = server.Services.GetRequiredService<BalanceComparisons>();
        await comparisons.RunAsync(day, Ct);
        await comparisons.RunAsync(day, Ct);

        var row = Assert.Single(await RowsAsync(id));
        Assert.Equal(("central", "minor", "ZAR", 4_200L, 4_200L, 0L, false), (row.Model, row.Unit, row.Currency, row.MeterView, row.ServerView, row.Difference, row.Reported));
        Assert.Equal(0, await AlertsAsync(id));
    }

    [Fact]
    public async Task A_central_meter_that_ignored_the_newer_balance_is_reported_once_with_exactly_the_difference()
    {
        var (number, id) = await CentralMeterAsync();
        var day = Today.PlusDays(-4);
        await TellAsync(id, number, 5_000, At(day, 8), acknowledged: true);
        await TellAsync(id, number, 4_650, At(day, 12), acknowledged: true); // acknowledged, but never shown
        await ReportAsync(id, 5_000, At(day, 8));

        var comparisons = server.Services.GetRequiredService<BalanceComparisons>();
        await comparisons.RunAsync(day, Ct);
        await comparisons.RunAsync(day, Ct);

        var row = Assert.Single(await RowsAsync(id));
        Assert.Equal((5_000L, 4_650L, 350L, true), (row.MeterView, row.ServerView, row.Difference, row.Reported));
        Assert.Contains("did not apply or report the newer one", row.Explanation, StringComparison.Ordinal);
        Assert.Equal(1, await AlertsAsync(id));
    }

    [Fact]
    public async Task A_meter_holding_its_own_credit_is_baselined_then_matches_and_a_register_changed_behind_the_servers_back_is_reported()
    {
        var (day1, day2) = (Today.PlusDays(-6), Today.PlusDays(-5));
        var healthy = await OwnCreditMeterAsync();
        var tampered = await OwnCreditMeterAsync();
        foreach (var (id, number, extra) in new[] { (healthy.Id, healthy.Number, 0L), (tampered.Id, tampered.Number, 700L) })
        {
            // Day 1 ends at 10 000 Wh. Day 2: eight quarters of 250 Wh (2 000 Wh) and 5 000 Wh of credit acknowledged between.
            await ReadingsAsync(id, [(At(day1, 20), 0, 10_000)]);
            await ReadingsAsync(id, [.. Enumerable.Range(1, 8).Select(i => (At(day2, 6) + Duration.FromMinutes(15 * i), 250L, 10_000L + (i > 4 ? 5_000 : 0) - 250 * i + (i == 8 ? extra : 0)))]);
            await CreditAsync(id, number, 5_000, At(day2, 7) + Duration.FromMinutes(5));
        }

        var comparisons = server.Services.GetRequiredService<BalanceComparisons>();
        await comparisons.RunAsync(day1, Ct);
        await comparisons.RunAsync(day2, Ct);
        await comparisons.RunAsync(day2, Ct);

        var baseline = (await RowsAsync(healthy.Id)).Single(r => r.Day == day1);
        Assert.Equal(("meter", "Wh", 10_000L, 10_000L, false), (baseline.Model, baseline.Unit, baseline.MeterView, baseline.ServerView, baseline.Reported));
        var matched = (await RowsAsync(healthy.Id)).Single(r => r.Day == day2);
        Assert.Equal((13_000L, 13_000L, 0L, false), (matched.MeterView, matched.ServerView, matched.Difference, matched.Reported));
        var reported = (await RowsAsync(tampered.Id)).Single(r => r.Day == day2);
        Assert.Equal((13_700L, 13_000L, 700L, true), (reported.MeterView, reported.ServerView, reported.Difference, reported.Reported));
        Assert.Equal((0, 1), (await AlertsAsync(healthy.Id), await AlertsAsync(tampered.Id)));
    }

    [Fact]
    public async Task Operators_list_a_days_comparisons_or_only_its_differences_and_others_may_not()
    {
        var (okNumber, okId) = await CentralMeterAsync();
        var (badNumber, badId) = await CentralMeterAsync();
        var day = Today.PlusDays(-8);
        await TellAsync(okId, okNumber, 100, At(day, 9), acknowledged: true);
        await ReportAsync(okId, 100, At(day, 9));
        await TellAsync(badId, badNumber, 100, At(day, 9), acknowledged: true);
        await ReportAsync(badId, 90, At(day, 9));
        await server.Services.GetRequiredService<BalanceComparisons>().RunAsync(day, Ct);

        using var admin = server.Client();
        var date = day.ToString("yyyy-MM-dd", null);
        var all = (await Ok(await admin.GetAsync($"/api/v1/balance-comparisons?date={date}", Ct))).AsArray();
        Assert.Contains(all, c => c!["meterNumber"]!.GetValue<string>() == okNumber);
        var differences = (await Ok(await admin.GetAsync($"/api/v1/balance-comparisons?date={date}&differencesOnly=true", Ct))).AsArray();
        var only = Assert.Single(differences, c => c!["meterNumber"]!.GetValue<string>() == badNumber || c["meterNumber"]!.GetValue<string>() == okNumber)!;
        Assert.Equal((badNumber, -10L), (only["meterNumber"]!.GetValue<string>(), only["difference"]!.GetValue<long>()));

        var invalid = await admin.GetAsync("/api/v1/balance-comparisons?date=2026-13-01", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/balance-comparisons", Ct)).StatusCode);
        var s = await CreateAsync(server, mode: "smart");
        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/balance-comparisons?date={date}", Ct)).StatusCode);
    }

    private async Task<(string Number, Guid Id)> CentralMeterAsync()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        using var admin = server.Client();
        await SwitchToCentralAsync(server, s.MeterNumber, server.Clock.GetCurrentInstant(), creditWh: 0);
        server.Clock.Advance(Duration.FromDays(10)); // the days compared below lie after the switch
        return (s.MeterNumber, await MeterIdAsync(s.MeterNumber));
    }

    private async Task<(string Number, Guid Id)> OwnCreditMeterAsync()
    {
        var s = await CreateAsync(server, mode: "smart", tariff: code => CentralTariffs.DayNight(code, 1, "2026-01-01", "1.00", "3.00"));
        return (s.MeterNumber, await MeterIdAsync(s.MeterNumber));
    }

    private async Task TellAsync(Guid id, string number, long minor, Instant asOf, bool acknowledged)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var c = CommandQueue.Enqueue(db, id, number, new ShowBalance(new Money(minor, Currency.ZAR), asOf), asOf, "test");
        c.SentAt = asOf;
        c.State = acknowledged ? CommandState.Acknowledged : CommandState.Sent;
        c.AcknowledgedAt = acknowledged ? asOf + Duration.FromSeconds(2) : null;
        await db.SaveChangesAsync(Ct);
    }

    private async Task CreditAsync(Guid id, string number, long wh, Instant at)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var c = CommandQueue.Enqueue(db, id, number, new AddCredit(new Energy(wh)), at, "vend");
        c.SentAt = at;
        c.State = CommandState.Acknowledged;
        c.AcknowledgedAt = at + Duration.FromSeconds(2);
        c.Outcome = "applied";
        await db.SaveChangesAsync(Ct);
    }

    private async Task ReportAsync(Guid id, long minor, Instant asOf)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        db.MeterStatus.Add(new MeterStatusRecord { MeterId = id, Online = true, LastSeenAt = asOf, DisplayedBalanceMinor = minor, DisplayedBalanceCurrency = "ZAR", DisplayedBalanceAt = asOf });
        await db.SaveChangesAsync(Ct);
    }

    private async Task ReadingsAsync(Guid id, IEnumerable<(Instant At, long DeltaWh, long CreditWh)> readings)
    {
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        foreach (var (at, delta, credit) in readings)
        {
            db.Readings.Add(new IntervalReading { MeterId = id, At = at, DeltaWh = delta, CreditWh = credit });
        }
        await db.SaveChangesAsync(Ct);
    }

    private async Task<Guid> MeterIdAsync(string number)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == number).Select(m => m.Id).SingleAsync(Ct);
    }

    private async Task<List<Storage.Records.CentralCredit.BalanceComparisonRecord>> RowsAsync(Guid id)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().BalanceComparisons.AsNoTracking().Where(c => c.MeterId == id).ToListAsync(Ct);
    }

    private async Task<int> AlertsAsync(Guid id)
    {
        await using var scope = server.Scope();
        return await scope.ServiceProvider.GetRequiredService<PrepayDb>().OperatorAlerts.CountAsync(a => a.MeterId == id && a.Type == BalanceComparisons.AlertType, Ct);
    }
}

public sealed class BalanceComparisonSqliteTests(CentralCreditSqliteServer server) : BalanceComparisonTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class BalanceComparisonPostgresTests(CentralCreditPostgresServer server) : BalanceComparisonTests(server), IClassFixture<CentralCreditPostgresServer>;
