using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;
using NodaTime.Text;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Reports.Schedules;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Revenue;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>
/// The reports over a few days of a small world: token vends under a tariff that recovers a loaded debt, smart vends,
/// one vend reversed (approved by a second admin), readings, operator alerts, a finding and a meter gone silent. Every
/// report's CSV says what its JSON says, row for row, and their figures tie to the ledger as an accountant would read
/// it: sales to what the floats gave up, revenue components to their accounts' balances, arrears to the debt accounts.
/// A report scheduled daily arrives at a real SMTP server with that CSV attached, once.
/// </summary>
public abstract class ReportTablesTests(ReportsMailServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_report_s_CSV_matches_its_JSON_and_its_figures_tie_to_the_ledger()
    {
        var world = await ReportsWorld.BuildAsync(server);
        using var admin = server.Client();
        var period = await ReportsWorld.PeriodAsync(server);

        var reports = (await Ok(await admin.GetAsync("/api/v1/reports", Ct))).AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["sales", "revenue", "consumption", "arrears", "offline", "alerts", "reconciliation"], reports);
        var tables = new Dictionary<string, JsonNode>();
        foreach (var name in reports)
        {
            tables[name] = await JsonMatchesCsvAsync(admin, $"/api/v1/reports/{name}?{period}");
        }
        foreach (var by in new[] { "premises", "site" })
        {
            await JsonMatchesCsvAsync(admin, $"/api/v1/reports/consumption?{period}&groupBy={by}");
        }

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var accounts = await db.Accounts.AsNoTracking().ToListAsync(Ct);
        long Balance(string code) => accounts.SingleOrDefault(a => a.Code == code)?.Balance ?? 0;

        // Sales: per vendor, the net is what its float gave up for vends less what reversals gave back.
        var floatsGaveUp = await FloatsGaveUpAsync(db, accounts);
        var sales = ReportsWorld.Rows(tables["sales"]);
        Assert.Equal(floatsGaveUp.OrderBy(f => f.Key, StringComparer.Ordinal).ToList(),
            sales.GroupBy(r => r["vendor"]!.GetValue<string>()).Select(g => new KeyValuePair<string, long>(g.Key, g.Sum(r => r["netMinor"]!.GetValue<long>()))).OrderBy(f => f.Key, StringComparer.Ordinal).ToList());
        var ours = sales.Where(r => r["vendor"]!.GetValue<string>() is var v && (v == world.Debtor.VendorCode || v == world.Smart.VendorCode)).ToList();
        Assert.Equal((7L, 1L), (ours.Sum(r => r["vends"]!.GetValue<long>()), ours.Sum(r => r["reversals"]!.GetValue<long>())));
        Assert.Equal(3 * 5000L + 2000 + 3 * 3000 - 2000, ours.Sum(r => r["netMinor"]!.GetValue<long>()));

        // Revenue: each component over all time is its accounts' balance; debt recovered is what the arrears report says.
        var revenue = ReportsWorld.Rows(tables["revenue"]);
        long Component(string c) => revenue.Where(r => r["component"]!.GetValue<string>() == c).Sum(r => r["amountMinor"]!.GetValue<long>());
        Assert.Equal(Balance("revenue/energy/ZAR"), Component("energy"));
        Assert.True(Component("energy") > 0);
        Assert.Equal(Balance("tax/VAT/ZAR"), Component("tax:VAT"));
        Assert.True(Component("tax:VAT") > 0);
        Assert.Equal(Balance("revenue/fixed/ZAR"), Component("fixedCharges"));
        Assert.Equal(accounts.Where(a => a.Kind == AccountKind.VendorCommission).Sum(a => a.Balance), Component("commission"));
        Assert.True(Component("commission") > 0);

        // Arrears: loaded 100.00, recovered by the debt tariff's vends, and what is owed is the debt accounts' balance.
        var arrears = ReportsWorld.Rows(tables["arrears"]);
        var debtor = Assert.Single(arrears);
        Assert.Equal((10000L, world.Debtor.SiteCode), (debtor["loadedMinor"]!.GetValue<long>(), debtor["site"]!.GetValue<string>()));
        Assert.True(debtor["recoveredMinor"]!.GetValue<long>() > 0);
        Assert.Equal(Component("debtRecovered"), debtor["recoveredMinor"]!.GetValue<long>());
        Assert.Equal(-accounts.Where(a => a.Kind == AccountKind.CustomerDebt).Sum(a => a.Balance), debtor["owedMinor"]!.GetValue<long>());
        Assert.Equal(10000L - debtor["recoveredMinor"]!.GetValue<long>(), debtor["owedMinor"]!.GetValue<long>());

        // Consumption: the readings' energy, the suspect one left out and counted.
        var consumption = Assert.Single(ReportsWorld.Rows(tables["consumption"]));
        Assert.Equal((world.Smart.MeterNumber, 3 * 96L, 1L), (consumption["meter"]!.GetValue<string>(), consumption["readings"]!.GetValue<long>(), consumption["suspect"]!.GetValue<long>()));
        Assert.Equal((3 * 96 - 1) * 25L, consumption["energyWh"]!.GetValue<long>());

        // Offline: the smart meter silent for three days; the token meter heard from today is not.
        var offline = Assert.Single(ReportsWorld.Rows(tables["offline"]));
        Assert.Equal((world.Smart.MeterNumber, 72L), (offline["meter"]!.GetValue<string>(), offline["silentHours"]!.GetValue<long>()));

        // Alerts and findings: two voltage alerts, one acknowledged; one open finding.
        var alerts = ReportsWorld.Rows(tables["alerts"]);
        Assert.Equal([("alert", "voltage", 2L, 1L), ("finding", "tamper", 1L, 1L)],
            alerts.Select(r => (r["source"]!.GetValue<string>(), r["kind"]!.GetValue<string>(), r["raised"]!.GetValue<long>(), r["open"]!.GetValue<long>())));

        // Bad requests: a problem, nothing run.
        var bad = await admin.GetAsync($"/api/v1/reports/sales?from=2026-12-01&to=2026-11-01", Ct);
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (bad.StatusCode, bad.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/reports/sales?{period}&groupBy=site", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/reports/nonsense?{period}", Ct)).StatusCode);
        using var till = server.Client(world.Debtor.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await till.GetAsync($"/api/v1/reports/sales?{period}", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_daily_schedule_emails_the_report_with_its_CSV_to_a_real_SMTP_server_once_per_period()
    {
        var shop = await CreateAsync(server);
        using var till = server.Client(shop.VendorKey);
        await Ok(await till.SendAsync(Vend(new { meterNumber = shop.MeterNumber, amount = "25.00", currency = "ZAR" }), Ct));
        using var admin = server.Client();
        var invalid = await admin.PostAsJsonAsync("/api/v1/reports/schedules", new { report = "sales", cadence = "hourly", recipients = new[] { "books@example.org" } }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("cadence", await invalid.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/reports/schedules", new { report = "sales", cadence = "daily", recipients = new[] { "not an address" } }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/v1/reports/schedules", new { report = "nonsense", cadence = "daily", recipients = new[] { "books@example.org" } }, Ct)).StatusCode);
        var schedule = await Ok(await admin.PostAsJsonAsync("/api/v1/reports/schedules",
            new { report = "sales", cadence = "daily", zone = ReportsWorld.Zone, recipients = new[] { "books@example.org", "manager@example.org" } }, Ct));
        await using (var scope = server.Scope())
        {
            Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<PrepayDb>().ReportSchedules.CountAsync(Ct));
        }

        // Past 02:00 local on the day after the sale: the sale's day is a whole day to report on.
        var zone = DateTimeZoneProviders.Tzdb[ReportsWorld.Zone];
        var saleDay = server.Clock.GetCurrentInstant().InZone(zone).Date;
        server.Clock.Reset(zone.AtStartOfDay(saleDay.PlusDays(1)).ToInstant() + Duration.FromHours(3));
        var yesterday = LocalDatePattern.Iso.Format(saleDay);
        var job = server.Services.GetRequiredService<ScheduledReports>();
        Assert.Equal(2, await job.RunOnceAsync(Ct));
        Assert.Equal(0, await job.RunOnceAsync(Ct)); // the same period again: nothing new

        var mails = await ArrivedAsync(2);
        var expected = await (await admin.GetAsync($"/api/v1/reports/sales?from={yesterday}&to={yesterday}&zone={ReportsWorld.Zone}&format=csv", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("\r\n", expected, StringComparison.Ordinal);
        Assert.True(expected.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length > 1, "yesterday had sales");
        Assert.Equal(["books@example.org", "manager@example.org"], mails.Select(m => m.To.Mailboxes.Single().Address).Order(StringComparer.Ordinal));
        foreach (var mail in mails)
        {
            Assert.Contains("Sales per day, vendor and channel", mail.Subject, StringComparison.Ordinal);
            var file = Assert.IsType<MimePart>(Assert.Single(mail.Attachments), exactMatch: false);
            Assert.Equal($"sales-{yesterday}-{yesterday}.csv", file.FileName);
            Assert.Equal("text/csv", file.ContentType.MimeType);
            using var content = new MemoryStream();
            await file.Content!.DecodeToAsync(content, Ct);
            Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(content.ToArray()));
        }
        var listed = (await Ok(await admin.GetAsync("/api/v1/reports/schedules", Ct))).AsArray().Single(s => s!["id"]!.GetValue<Guid>() == schedule["id"]!.GetValue<Guid>())!;
        Assert.Equal(yesterday, listed["lastPeriod"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/reports/schedules/{schedule["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/reports/schedules/{schedule["id"]}", Ct)).StatusCode);
        server.Clock.Advance(Duration.FromDays(1));
        Assert.Equal(0, await job.RunOnceAsync(Ct)); // deleted: nothing more
    }

    /// <summary>Per vendor code: what its float was debited by vends less what reversals credited back.</summary>
    private static async Task<Dictionary<string, long>> FloatsGaveUpAsync(PrepayDb db, IReadOnlyList<Account> accounts)
    {
        var floats = accounts.Where(a => a.Kind == AccountKind.VendorFloat).ToDictionary(a => a.Id, a => Guid.ParseExact(a.Code.Split('/')[1], "N"));
        var vendors = await db.Vendors.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.Code, Ct);
        var moves = await (from p in db.Postings.AsNoTracking()
                           join t in db.LedgerTransactions.AsNoTracking() on p.TransactionId equals t.Id
                           where t.Kind == TransactionKind.Vend || t.Kind == TransactionKind.Reversal
                           select new { t.Kind, p.DebitAccountId, p.CreditAccountId, p.Amount }).ToListAsync(Ct);
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in moves)
        {
            if (m.Kind == TransactionKind.Vend && floats.TryGetValue(m.DebitAccountId, out var seller))
            {
                result[vendors[seller]] = result.GetValueOrDefault(vendors[seller]) + m.Amount;
            }
            else if (m.Kind == TransactionKind.Reversal && floats.TryGetValue(m.CreditAccountId, out var refunded))
            {
                result[vendors[refunded]] = result.GetValueOrDefault(vendors[refunded]) - m.Amount;
            }
        }
        return result;
    }

    /// <summary>
    /// The report in JSON and in CSV: the CSV's header is the JSON's columns, and each of its rows the JSON's row, cell
    /// for cell. The reconciliation's JSON has its totals too, and its rows are the differences.
    /// </summary>
    private static async Task<JsonNode> JsonMatchesCsvAsync(HttpClient client, string url)
    {
        var json = await Ok(await client.GetAsync(url, Ct));
        var csvResponse = await client.GetAsync(url + "&format=csv", Ct);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        using var reader = CsvReader.Create(new StringReader(await csvResponse.Content.ReadAsStringAsync(Ct)), new CsvReaderOptions { HasHeader = true }, false);
        var columns = json["columns"]?.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList() ?? ["cause", "reference", "amountMinor", "currency", "at", "detail"];
        Assert.Equal(columns, reader.Headers);
        var rows = (json["rows"] ?? json["differences"])!.AsArray();
        var read = 0;
        while (reader.Read())
        {
            var row = rows[read++]!;
            for (var i = 0; i < columns.Count; i++)
            {
                Assert.Equal(row[columns[i]]?.ToString() ?? "", reader.GetString(i) ?? "");
            }
        }
        Assert.Equal(rows.Count, read);
        return json;
    }

        /// <summary>
    /// The scheduled reports at the SMTP server once <paramref name="count"/> have arrived (the dispatcher sends after
    /// commit), parsed by MimeKit; the customers' receipts that went there too are not counted.
    /// </summary>
    private async Task<List<MimeMessage>> ArrivedAsync(int count)
    {
        List<MimeMessage> Reports() => [.. Directory.GetFiles(server.Smtp.Folder, "*.eml").Select(f => MimeMessage.Load(f)).Where(m => m.Headers["Prepay-Kind"] == ScheduledReports.Kind)];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Reports().Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, Ct);
        }
        var reports = Reports();
        Assert.Equal(count, reports.Count);
        return reports;
    }
}

public sealed class ReportTablesSqliteTests(ReportsMailSqliteServer server) : ReportTablesTests(server), IClassFixture<ReportsMailSqliteServer>;

public sealed class ReportTablesPostgresTests(ReportsMailPostgresServer server) : ReportTablesTests(server), IClassFixture<ReportsMailPostgresServer>;
