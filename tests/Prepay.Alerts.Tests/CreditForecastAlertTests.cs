using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.HeadEnd.Ingest;
using Prepay.MeterData.Forecast;
using Prepay.MeterLink.Mqtt;
using Prepay.Storage;
using Prepay.Testing;
using static Prepay.Testing.Scenario;

namespace Prepay.Alerts.Tests;

/// <summary>
/// A low-credit message says how long the credit lasts from the meter's own usage by weekday and hour, in its tariff's
/// zone: a household that uses its energy on weekdays, warned on a Friday evening, has the quiet weekend ahead of it.
/// </summary>
public abstract class CreditForecastAlertTests(AlertsServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly DateTimeZone Johannesburg = DateTimeZoneProviders.Tzdb["Africa/Johannesburg"];

    [Fact]
    public async Task A_low_credit_message_on_a_friday_evening_counts_the_quiet_weekend_ahead()
    {
        var s = await CreateAsync(server, mode: "smart");
        using var admin = server.Client();
        await Ok(await admin.PutAsJsonAsync($"/api/v1/customers/{s.CustomerId}/notification-preferences",
            new { preferences = new object[] { new { channel = "email", enabled = true, address = $"f{s.Suffix}@example.org" } } }, Ct));
        // Friday 20 November 2026, 18:00 in Johannesburg (the scenario tariff's zone), before the fixture's Monday.
        var friday = new LocalDateTime(2026, 11, 20, 18, 0).InZoneStrictly(Johannesburg).ToInstant();
        // Four weeks of 1 kWh an hour on weekdays, nothing at weekends; 29 kWh of credit on Friday at 18:00.
        static bool Weekday(Instant end) => (end - Duration.FromMinutes(1)).InZone(Johannesburg).DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday);
        await MeterRecords.ReadingsAsync(server, s.MeterNumber, friday - Duration.FromDays(28), friday, Duration.FromMinutes(15), end => Weekday(end) ? 250 : 0, creditWh: 29_000);

        // Friday evening takes 6 kWh, the weekend nothing, Monday 1 kWh an hour: the last runs out at 23:00 on Monday,
        // 3 days and 5 hours on. The flat average (120 kWh a week, about 0.71 kWh an hour) would say 1 day.
        var points = new List<ConsumptionPoint>();
        for (var end = friday - Duration.FromDays(28) + Duration.FromMinutes(15); end <= friday; end += Duration.FromMinutes(15))
        {
            points.Add(new ConsumptionPoint(end, new Energy(Weekday(end) ? 250 : 0)));
        }
        Assert.Equal(1, CreditForecaster.Flat(points, friday, new Energy(29_000)).DaysLeft);

        var payload = JsonSerializer.SerializeToUtf8Bytes(new EventsMessage([new EventPayload(friday.ToDateTimeOffset(), "lowCredit", "credit 29.0 kWh")]), ProtocolJson.Options);
        await server.Services.GetRequiredService<MeterMessageHandler>().HandleAsync(s.MeterNumber, Topics.Events, payload, Ct);

        await using var scope = server.Scope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var warning = await db.Notifications.AsNoTracking().SingleAsync(n => n.CustomerId == s.CustomerId && n.Kind == "lowCredit", Ct);
        Assert.Contains("is low: about 3 days left at your recent use.", warning.Body, StringComparison.Ordinal);
    }
}

public sealed class CreditForecastAlertSqliteTests(AlertsSqliteServer server) : CreditForecastAlertTests(server), IClassFixture<AlertsSqliteServer>;

public sealed class CreditForecastAlertPostgresTests(AlertsPostgresServer server) : CreditForecastAlertTests(server), IClassFixture<AlertsPostgresServer>;
