using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Prepay.Storage;
using Prepay.Storage.Records.Metering;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.CentralCredit.Tests.Forecasts;

/// <summary>
/// <c>GET /meters/{n}/forecast</c>: a meter that uses its energy in the evening runs out on an evening, as its own
/// readings say, not at the flat average's hour; staff only; an unknown meter is a 404, one that never reported a 409.
/// </summary>
public abstract class MeterForecastTests(ServerFixture server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    [Fact]
    public async Task An_evening_household_runs_out_on_an_evening_and_the_forecast_says_which()
    {
        var s = await EveningHouseholdAsync(server);
        var now = server.Clock.GetCurrentInstant();
        using var admin = server.Client();

        var forecast = await Ok(await admin.GetAsync($"/api/v1/meters/{s.MeterNumber}/forecast", Ct));

        var local = now.InZone(Johannesburg);
        var hoursToTonight = 18 - local.Hour; // runs 4 kWh tonight, the last 2 kWh by 20:00 tomorrow
        var expected = local.Date.PlusDays(1).At(new LocalTime(20, 0)).InZoneStrictly(Johannesburg).ToInstant();
        Assert.True(hoursToTonight > 0, "the fixture's clock is before 18:00 in Johannesburg");
        Assert.Equal(("weekdayHour", 6_000L, "Africa/Johannesburg"), (forecast["method"]!.GetValue<string>(), forecast["creditWh"]!.GetValue<long>(), forecast["zone"]!.GetValue<string>()));
        Assert.Equal(InstantPattern.ExtendedIso.Format(expected), forecast["runsOutAt"]!.GetValue<string>());
        Assert.Equal(1, forecast["daysLeft"]!.GetValue<int>());
        Assert.NotEqual(forecast["runsOutAt"]!.GetValue<string>(), forecast["flatRunsOutAt"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/meters/NO-SUCH-METER/forecast", Ct)).StatusCode);
        var silent = await CreateAsync(server, mode: "smart");
        var none = await admin.GetAsync($"/api/v1/meters/{silent.MeterNumber}/forecast", Ct);
        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (none.StatusCode, none.Content.Headers.ContentType?.MediaType));
        using var vendor = server.Client(s.VendorKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await vendor.GetAsync($"/api/v1/meters/{s.MeterNumber}/forecast", Ct)).StatusCode);
    }

    /// <summary>A smart meter with two weeks of evening use behind it and 6 kWh of credit now.</summary>
    internal static async Task<Scenario> EveningHouseholdAsync(ServerFixture server)
    {
        var s = await CreateAsync(server, mode: "smart");
        var now = server.Clock.GetCurrentInstant();
        // Two weeks: 1 kWh an hour from 18:00 to 22:00 local, nothing else; the last reading, now, reads 6 kWh of credit.
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var id = await db.Meters.Where(m => m.MeterNumber == s.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            for (var end = now - Duration.FromDays(14); end <= now; end += Duration.FromMinutes(15))
            {
                var evening = (end - Duration.FromMinutes(1)).InZone(Johannesburg).Hour is >= 18 and < 22;
                db.Readings.Add(new IntervalReading { MeterId = id, At = end, DeltaWh = evening ? 250 : 0, CreditWh = end == now ? 6_000 : 50_000 });
            }
            await db.SaveChangesAsync(Ct);
        }
        return s;
    }
}

/// <summary>The console's meter page says how long the credit lasts.</summary>
public sealed class MeterForecastConsoleTests(CentralCreditWebServer server) : IClassFixture<CentralCreditWebServer>
{
    [Fact]
    public async Task The_console_meter_page_says_until_when_the_credit_lasts()
    {
        var s = await MeterForecastTests.EveningHouseholdAsync(server);
        using var staff = await Browser.OperatorAsync(server);

        var html = await staff.GetStringAsync($"/console/meters/{s.MeterNumber}", TestContext.Current.CancellationToken);

        Assert.Matches("<dd id=\"status-forecast\">until about [^<]+ \\(1 days; from the credit it reported at", html);
        var silent = await Scenario.CreateAsync(server, mode: "smart");
        Assert.DoesNotContain("status-forecast", await staff.GetStringAsync($"/console/meters/{silent.MeterNumber}", TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }
}

/// <summary>The customer's portal says how many days of credit are left and until when, from the same forecast.</summary>
public sealed class MeterForecastPortalTests(CentralCreditWebServer server) : IClassFixture<CentralCreditWebServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_portal_says_how_many_days_of_credit_are_left_and_until_when_in_the_tariffs_zone()
    {
        var s = await MeterForecastTests.EveningHouseholdAsync(server);
        using var customer = await Browser.CustomerAsync(server, s.CustomerId);
        var zone = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];
        // As the API's forecast: the last 2 kWh go by 20:00 tomorrow evening, local time (a flat average would say otherwise).
        var until = server.Clock.GetCurrentInstant().InZone(zone).Date.PlusDays(1).At(new LocalTime(20, 0));
        var expected = $"About 1 day of credit left (until {until.ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture)})";

        var page = await customer.GetStringAsync($"/portal/meters/{s.MeterNumber}", Ct);
        var home = await customer.GetStringAsync("/portal", Ct);

        Assert.Contains($"<dd data-fact=\"days-left\">{expected}</dd>", page, StringComparison.Ordinal);
        Assert.Contains($"<dd data-fact=\"days-left\">{expected}</dd>", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_meter_that_never_reported_says_so_and_a_central_credit_meter_leaves_it_to_its_balance()
    {
        var silent = await Scenario.CreateAsync(server, mode: "smart");
        using var customer = await Browser.CustomerAsync(server, silent.CustomerId);
        Assert.Contains("<dd data-fact=\"days-left\">Not enough readings yet to say</dd>", await customer.GetStringAsync($"/portal/meters/{silent.MeterNumber}", Ct), StringComparison.Ordinal);

        var central = await MeterForecastTests.EveningHouseholdAsync(server);
        await using (var scope = server.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
            var id = await db.Meters.Where(m => m.MeterNumber == central.MeterNumber).Select(m => m.Id).SingleAsync(Ct);
            var from = server.Clock.GetCurrentInstant() - Duration.FromDays(1);
            db.MeterCreditModels.Add(new Prepay.Storage.Records.CentralCredit.MeterCreditModelRecord { MeterId = id, Model = "central", EffectiveFrom = from, Actor = "test", Reason = "pilot", RecordedAt = from });
            await db.SaveChangesAsync(Ct);
        }
        using var centralCustomer = await Browser.CustomerAsync(server, central.CustomerId);
        var page = await centralCustomer.GetStringAsync($"/portal/meters/{central.MeterNumber}", Ct);
        Assert.DoesNotContain("data-fact=\"days-left\"", page, StringComparison.Ordinal);
        Assert.Contains("data-fact=\"central-days-left\"", page, StringComparison.Ordinal);
    }
}

public sealed class MeterForecastSqliteTests(CentralCreditSqliteServer server) : MeterForecastTests(server), IClassFixture<CentralCreditSqliteServer>;

public sealed class MeterForecastPostgresTests(CentralCreditPostgresServer server) : MeterForecastTests(server), IClassFixture<CentralCreditPostgresServer>;
