using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Storage;
using Prepay.Storage.Records.Alerts;
using Prepay.Storage.Records.Metering;
using Prepay.Storage.Records.Revenue;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Reports.Tests;

/// <summary>A few days of a small world for the reports, built through the API and as the head-end stores meters' records.</summary>
public static class ReportsWorld
{
    public const string Zone = "Africa/Johannesburg";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static List<JsonNode> Rows(JsonNode table) => [.. table["rows"]!.AsArray().Select(r => r!)];

    public sealed record World(Scenario Debtor, Scenario Smart);

    /// <summary>
    /// Three days: each a token vend to the debtor (a debt tariff, 100.00 owed) and a smart vend, and one more token
    /// vend on the first day, reversed. Readings every 15 minutes of the smart meter (one suspect), its status three
    /// days old, the token meter heard from now; two voltage alerts (one acknowledged) and one tamper finding.
    /// </summary>
    public static async Task<World> BuildAsync(ServerFixture server)
    {
        var debtor = await CreateAsync(server, tariff: DebtTariff);
        var smart = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/customers/{debtor.CustomerId}/debts", new { amount = "100.00", currency = "ZAR", reason = "arrears" }, Ct)));
        using var tokenTill = server.Client(debtor.VendorKey);
        using var smartTill = server.Client(smart.VendorKey);
        var start = server.Clock.GetCurrentInstant();
        for (var day = 0; day < 3; day++)
        {
            await Ok(await tokenTill.SendAsync(Vend(new { meterNumber = debtor.MeterNumber, amount = "50.00", currency = "ZAR" }), Ct));
            await Ok(await smartTill.SendAsync(Vend(new { meterNumber = smart.MeterNumber, amount = "30.00", currency = "ZAR" }), Ct));
            if (day == 0)
            {
                var wrong = await Ok(await tokenTill.SendAsync(Vend(new { meterNumber = debtor.MeterNumber, amount = "20.00", currency = "ZAR" }), Ct));
                await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/vends/{wrong["id"]}/reversal", new { reason = "sold to the wrong meter" }, Ct)));
            }
            server.Clock.Advance(Duration.FromDays(1));
        }
        var now = server.Clock.GetCurrentInstant();
        await MeterRecords.ReadingsAsync(server, smart.MeterNumber, start, start + Duration.FromDays(3), Duration.FromMinutes(15), _ => 25);
        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var meters = await db.Meters.Where(m => m.MeterNumber == smart.MeterNumber || m.MeterNumber == debtor.MeterNumber).ToDictionaryAsync(m => m.MeterNumber, m => m.Id, Ct);
        var suspect = await db.Readings.Where(r => r.MeterId == meters[smart.MeterNumber]).OrderBy(r => r.At).Skip(10).FirstAsync(Ct);
        await db.Readings.Where(r => r.MeterId == suspect.MeterId && r.At == suspect.At).ExecuteUpdateAsync(u => u.SetProperty(r => r.Quality, "suspect"), Ct);
        db.MeterStatus.Add(new MeterStatusRecord { MeterId = meters[smart.MeterNumber], Online = false, LastSeenAt = now - Duration.FromDays(3) });
        db.MeterStatus.Add(new MeterStatusRecord { MeterId = meters[debtor.MeterNumber], Online = true, LastSeenAt = now });
        db.OperatorAlerts.Add(new OperatorAlert { MeterId = meters[smart.MeterNumber], MeterNumber = smart.MeterNumber, Type = "voltage", At = start, RaisedAt = start + Duration.FromHours(1) });
        db.OperatorAlerts.Add(new OperatorAlert { MeterId = meters[smart.MeterNumber], MeterNumber = smart.MeterNumber, Type = "voltage", At = start + Duration.FromHours(1), RaisedAt = start + Duration.FromHours(2), AcknowledgedAt = now, AcknowledgedBy = "ops" });
        db.Findings.Add(new FindingRecord
        {
            Kind = "tamper", SiteCode = smart.SiteCode, MeterId = meters[smart.MeterNumber], MeterNumber = smart.MeterNumber, Subject = "cover", PeriodStart = start, PeriodEnd = now,
            Confidence = 90, Summary = "cover opened", Evidence = "{}", State = FindingRecord.Open, FoundAt = start + Duration.FromHours(3), UpdatedAt = start + Duration.FromHours(3),
        });
        await db.SaveChangesAsync(Ct);
        return new World(debtor, smart);
    }

    /// <summary>Every local day the ledger has a transaction on, to today, in the report's zone.</summary>
    public static async Task<string> PeriodAsync(ServerFixture server)
    {
        await using var scope = server.Scope();
        var first = await scope.ServiceProvider.GetRequiredService<PrepayDb>().LedgerTransactions.MinAsync(t => t.At, Ct);
        var zone = DateTimeZoneProviders.Tzdb[Zone];
        return $"from={LocalDatePattern.Iso.Format(first.InZone(zone).Date)}&to={LocalDatePattern.Iso.Format(server.Clock.GetCurrentInstant().InZone(zone).Date)}&zone={Zone}";
    }
}
