using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.CentralCredit.Worker;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Statements.Tests;

/// <summary>
/// A central-credit meter for the statement tests, in London's zone (so a day of March 2027 has 23 hours): night
/// (00:00–07:00) at 1.00 and day (07:00–24:00) at 2.00 per kWh, a daily service charge of 1.50, 15 % VAT added on top,
/// and 10 % of each interval's cost recovered towards a debt, at most 5.00 a month. Amounts in ZAR: the scenario's
/// meters and vendors sell in ZAR, and nothing here depends on a currency's country.
/// </summary>
internal sealed class CentralMeter(ServerFixture server, Scenario scenario, Guid meterId)
{
    public static readonly DateTimeZone London = DateTimeZoneProviders.Tzdb["Europe/London"];
    private static readonly Duration Quarter = Duration.FromMinutes(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Scenario Scenario => scenario;
    public Guid MeterId => meterId;
    public string MeterNumber => scenario.MeterNumber;

    public static string Tariff(string code) => $$"""
        { "code": "{{code}}", "name": "London day/night", "version": 1, "effectiveFrom": "2027-01-01",
          "timeZone": "Europe/London", "currency": "ZAR",
          "energy": { "type": "timeOfUse", "seasons": [ { "name": "all", "from": "01-01", "to": "12-31",
            "rates": { "night": "1.00", "day": "2.00" },
            "weekday":  [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" } ],
            "saturday": [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" } ],
            "sunday":   [ { "from": "00:00", "period": "night" }, { "from": "07:00", "period": "day" } ] } ] },
          "fixedCharges": [ { "name": "Service", "per": "day", "amount": "1.50" } ],
          "debtRecovery": { "percent": "10", "monthlyCap": "5.00" },
          "taxes": [ { "name": "VAT", "percent": "15", "inclusive": false } ] }
        """;

    public static Instant Local(int day, int hour, int minute = 0) => new LocalDate(2027, 3, day).At(new LocalTime(hour, minute)).InZoneLeniently(London).ToInstant();

    public static Instant StartOf(int day) => new LocalDate(2027, 3, day).AtStartOfDayInZone(London).ToInstant();

    /// <summary>A customer with a central-credit meter from 26 March 2027 and a debt of 20.00.</summary>
    public static async Task<CentralMeter> CreateAsync(ServerFixture server)
    {
        server.Clock.Reset(Instant.FromUtc(2027, 3, 20, 9, 0));
        var s = await Scenario.CreateAsync(server, mode: "smart", tariff: Tariff);
        using var admin = server.Client();
        await ApproveAsync(server, await Ok(await admin.PostAsJsonAsync($"/api/v1/customers/{s.CustomerId}/debts", new { amount = "20.00", currency = "ZAR", reason = "arrears" }, Ct)));
        await Ok(await admin.PutAsJsonAsync($"/api/v1/meters/{s.MeterNumber}/credit-model",
            new { model = "central", effectiveFrom = "2027-03-26T00:00:00Z", reason = "statement tests" }, Ct));
        await Scenario.HandOverAsync(server, s.MeterNumber, Instant.FromUtc(2027, 3, 26, 0, 0), creditWh: 0);
        await using var scope = server.Scope();
        var id = await scope.ServiceProvider.GetRequiredService<PrepayDb>().Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
        return new CentralMeter(server, s, id);
    }

    public async Task TopUpAsync(Instant at, string amount)
    {
        server.Clock.Reset(at);
        using var vendor = server.Client(scenario.VendorKey);
        await Ok(await vendor.SendAsync(Vend(new { meterNumber = scenario.MeterNumber, amount, currency = "ZAR" }), Ct));
    }

    /// <summary>
    /// The day's quarter hours, 100 Wh each (those in <paramref name="estimated"/> first estimated at 50 Wh and then
    /// replaced by their real 100 Wh), priced with the clock a minute before the day ends: each day is posted within it.
    /// </summary>
    public async Task LiveDayAsync(int day, params Instant[] estimated)
    {
        server.Clock.Reset(StartOf(day + 1) - Duration.FromMinutes(1));
        var ats = new List<Instant>();
        for (var at = StartOf(day) + Quarter; at <= StartOf(day + 1); at += Quarter)
        {
            ats.Add(at);
        }
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            foreach (var at in ats)
            {
                var estimate = estimated.Contains(at);
                db.Readings.Add(new IntervalReading { MeterId = meterId, At = at, DeltaWh = estimate ? 50 : 100, Quality = estimate ? "estimated" : "valid", QualityRule = estimate ? "linear" : null });
            }
            await db.SaveChangesAsync(Ct);
        }
        await PriceAsync();
        if (estimated.Length == 0)
        {
            return;
        }
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            await using var tx = await db.BeginWriteAsync(Ct);
            foreach (var at in estimated)
            {
                await db.Readings.Where(r => r.MeterId == meterId && r.At == at)
                    .ExecuteUpdateAsync(u => u.SetProperty(r => r.DeltaWh, 100L).SetProperty(r => r.Quality, "valid").SetProperty(r => r.QualityRule, (string?)null), Ct);
                db.ReadingAdjustments.Add(new ReadingAdjustment { MeterId = meterId, At = at, PreviousWh = 50, NewWh = 100, Cause = "replaced", RecordedAt = server.Clock.GetCurrentInstant() });
            }
            await db.SaveChangesAsync(Ct);
            await tx.CommitAsync(Ct);
        }
        await PriceAsync();
    }

    private async Task PriceAsync()
    {
        var round = server.Services.GetRequiredService<ConsumptionRound>();
        while (await round.RunOnceAsync(Ct) > 0)
        {
        }
    }
}
