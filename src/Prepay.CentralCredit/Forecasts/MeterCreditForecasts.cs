using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Energy;
using Prepay.MeterData.Forecast;
using Prepay.Storage;
using Prepay.Vending.Pricing;

namespace Prepay.CentralCredit.Forecasts;

/// <summary>A meter's forecast as staff and integrations read it.</summary>
public sealed record MeterForecastView(string MeterNumber, Instant At, string Zone, long CreditWh, Instant CreditAt, Instant? RunsOutAt, double? HoursLeft, int? DaysLeft, string Method, Instant? FlatRunsOutAt);

public abstract record ForecastOutcome
{
    public sealed record Found(MeterForecastView Forecast) : ForecastOutcome;

    public sealed record MeterNotFound : ForecastOutcome;

    /// <summary>The meter's credit is held centrally (its balance is money: <c>…/central-credit</c> says how long it lasts).</summary>
    public sealed record Central : ForecastOutcome;

    /// <summary>The meter never reported its credit.</summary>
    public sealed record NoCredit : ForecastOutcome;
}

/// <summary>
/// Days of credit left on a meter holding its own credit: its credit register as last reported (the newest reading
/// carrying it), its readings of the last four weeks, and the zone of its tariff (UTC without one), through
/// <see cref="CreditForecaster"/>; the flat average beside it.
/// </summary>
public sealed class MeterCreditForecasts(IServiceScopeFactory scopes, IClock clock, TariffCatalog tariffs)
{
    public async Task<ForecastOutcome> ForecastAsync(string meterNumber, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var meter = await db.Meters.AsNoTracking().Where(m => m.MeterNumber == meterNumber).Select(m => new { m.Id, m.MeterNumber }).FirstOrDefaultAsync(ct);
        if (meter is null)
        {
            return new ForecastOutcome.MeterNotFound();
        }
        if (await Storage.Queries.CreditModels.IsCentralAsync(db, meter.Id, now, ct))
        {
            return new ForecastOutcome.Central();
        }
        var since = now - Duration.FromDays(7 * CreditForecaster.HistoryWeeks);
        var readings = await db.Readings.AsNoTracking().Where(r => r.MeterId == meter.Id && r.At > since && r.At <= now)
            .OrderBy(r => r.At).Select(r => new { r.At, r.DeltaWh, r.CreditWh }).ToListAsync(ct);
        var last = readings.LastOrDefault();
        if (last is null)
        {
            return new ForecastOutcome.NoCredit();
        }
        var zone = (await tariffs.ForMeterAsync(db, meter.Id, now, ct))?.TimeZone ?? DateTimeZone.Utc;
        var points = readings.Select(r => new ConsumptionPoint(r.At, new Energy(r.DeltaWh))).ToList();
        // From the instant the credit was read: the forecast walks on from there, not from now.
        var forecast = CreditForecaster.Forecast(points, zone, last.At, new Energy(last.CreditWh));
        var flat = CreditForecaster.Flat(points, last.At, new Energy(last.CreditWh));
        return new ForecastOutcome.Found(new MeterForecastView(
            meter.MeterNumber, now, zone.Id, last.CreditWh, last.At, forecast.RunsOutAt,
            forecast.RunsOutAt is { } end ? Math.Round((end - now).TotalHours, 1) : null,
            forecast.DaysLeftAt(now),
            forecast.Method switch { ForecastMethod.WeekdayHour => "weekdayHour", ForecastMethod.FlatAverage => "flatAverage", _ => "none" },
            flat.RunsOutAt));
    }
}
