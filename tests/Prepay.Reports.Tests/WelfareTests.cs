using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Welfare;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>
/// Welfare signals from what meters report and what was sold: a household out of credit for five days, one cut off
/// five times in a month for hours each, one that ran out yesterday (not yet a signal at three days), one using a
/// quarter of its energy since a debt was loaded (approved by a second admin), one using 40 % since its meter moved to a
/// dearer tariff; and the month's self-disconnections per
/// site, in JSON and CSV.
/// </summary>
public abstract class WelfareTests(ReportsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Households_going_without_are_listed_with_their_evidence_and_self_disconnections_counted_per_site()
    {
        var outOfCredit = await CreateAsync(server, mode: "smart");
        var cutOften = await CreateAsync(server, mode: "smart");
        var yesterday = await CreateAsync(server, mode: "smart");
        var rationing = await CreateAsync(server, mode: "smart");
        var moved = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        server.Clock.Advance(Duration.FromDays(1)); // the meters' first tariffs are in force before anything changes
        var loadedAt = server.Clock.GetCurrentInstant();
        await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/customers/{rationing.CustomerId}/debts", new { amount = "900.00", currency = "ZAR", reason = "Arrears from the post-paid account" }, Ct)));
        var dearer = "TX" + moved.Suffix;
        await Ok(await admin.PostAsync("/api/v1/tariffs", new StringContent(FlatTariff(dearer).Replace("\"2.00\"", "\"3.10\"", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"), Ct));
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{moved.MeterNumber}/tariff", new { tariffCode = dearer, effectiveFrom = NodaTime.Text.InstantPattern.ExtendedIso.Format(loadedAt) }, Ct));
        server.Clock.Advance(Duration.FromDays(20));
        var now = server.Clock.GetCurrentInstant();
        await EventsAsync(outOfCredit.MeterNumber, (now - Duration.FromDays(5), "creditExhausted"));
        await EventsAsync(cutOften.MeterNumber, [.. Enumerable.Range(0, 5).SelectMany(k => new[]
        {
            (now - Duration.FromDays(25 - 5 * k), "creditExhausted"), (now - Duration.FromDays(25 - 5 * k) + Duration.FromHours(6), "relayClosed"),
        })]);
        await EventsAsync(yesterday.MeterNumber, (now - Duration.FromDays(1), "creditExhausted"));
        // 4 kWh a day for the four weeks before the debt, 1 kWh a day since.
        await ReadingsAsync(rationing.MeterNumber, loadedAt - Duration.FromDays(28), now, at => at <= loadedAt ? 4_000 / 24 : 1_000 / 24);
        // 6 kWh a day before the dearer tariff, 2.4 kWh a day since.
        await ReadingsAsync(moved.MeterNumber, loadedAt - Duration.FromDays(28), now, at => at <= loadedAt ? 6_000 / 24 : 2_400 / 24);

        var signals = (await Ok(await admin.GetAsync("/api/v1/welfare", Ct))).AsArray().Select(x => x!).ToList();
        var mine = signals.Where(s => new[] { outOfCredit, cutOften, yesterday, rationing, moved }.Any(x => x.MeterNumber == s["meter"]!.GetValue<string>()))
            .Select(s => (s["kind"]!.GetValue<string>(), s["meter"]!.GetValue<string>())).ToList();
        Assert.Equal(
            [(WelfareKinds.FrequentShortDisconnections, cutOften.MeterNumber), (WelfareKinds.OutOfCredit, outOfCredit.MeterNumber),
                (WelfareKinds.Rationing, rationing.MeterNumber), (WelfareKinds.Rationing, moved.MeterNumber)],
            mine.OrderBy(x => x.Item1, StringComparer.Ordinal).ThenBy(x => x.Item2 == moved.MeterNumber));
        Assert.Contains($"2.4 kWh a day since the meter moved to tariff {dearer}, against 6.0 kWh before",
            signals.Single(s => s["meter"]!.GetValue<string>() == moved.MeterNumber)["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        var rationed = signals.Single(s => s["meter"]!.GetValue<string>() == rationing.MeterNumber);
        Assert.Contains("1.0 kWh a day since a debt was loaded, against 4.0 kWh before", rationed["evidence"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(rationing.CustomerId, rationed["customerId"]!.GetValue<Guid>());
        var withOneDay = (await Ok(await admin.GetAsync("/api/v1/welfare?offDays=1", Ct))).AsArray();
        Assert.Contains(withOneDay, s => s!["meter"]!.GetValue<string>() == yesterday.MeterNumber && s["kind"]!.GetValue<string>() == WelfareKinds.OutOfCredit);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync("/api/v1/welfare?offDays=0", Ct)).StatusCode);

        var months = $"from={(now - Duration.FromDays(40)).InUtc():yyyy-MM}&to={now.InUtc():yyyy-MM}";
        var counts = (await Ok(await admin.GetAsync($"/api/v1/welfare/self-disconnections?{months}", Ct))).AsArray().Select(x => x!).ToList();
        int Total(Scenario s) => counts.Where(c => c["site"]!.GetValue<string>() == s.SiteCode).Sum(c => c["disconnections"]!.GetValue<int>());
        Assert.Equal((1, 5, 1, 0), (Total(outOfCredit), Total(cutOften), Total(yesterday), Total(rationing)));
        Assert.All(counts.Where(c => c["site"]!.GetValue<string>() == cutOften.SiteCode), c => Assert.Equal(1, c["households"]!.GetValue<int>()));
        var csv = (await (await admin.GetAsync($"/api/v1/welfare/self-disconnections?{months}&format=csv", Ct)).Content.ReadAsStringAsync(Ct))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("site,month,disconnections,households", csv[0]);
        Assert.Equal(counts.Select(c => $"{c["site"]},{c["month"]},{c["disconnections"]},{c["households"]}"), csv.Skip(1));
        using var vendor = server.Client(outOfCredit.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync("/api/v1/welfare", Ct)).StatusCode);
    }

    private Task EventsAsync(string meter, params (Instant At, string Type)[] events) =>
        MeterRecords.EventsAsync(server, events.Select(e => (meter, e.At, e.Type)));

    private Task ReadingsAsync(string meter, Instant from, Instant to, Func<Instant, long> wh) =>
        MeterRecords.ReadingsAsync(server, meter, from, to, Duration.FromHours(1), wh);
}

public sealed class WelfareSqliteTests(ReportsSqliteServer server) : WelfareTests(server), IClassFixture<ReportsSqliteServer>;

public sealed class WelfarePostgresTests(ReportsPostgresServer server) : WelfareTests(server), IClassFixture<ReportsPostgresServer>;
