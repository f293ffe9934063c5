using System.Globalization;
using NodaTime;
using Prepay.CentralCredit.Forecasts;
using Prepay.MeterData.Forecast;

namespace Prepay.Server.Web.Portal;

/// <summary>What the portal's facts about a meter show: the meter, and how long its credit lasts (central credit's forecast).</summary>
public sealed record MeterFacts(CustomerMeter Meter, ForecastOutcome Forecast)
{
    /// <summary>
    /// The days of credit left in words, with the local day and time the forecast runs out (in the meter's tariff's
    /// zone); null for a meter whose credit is held centrally: its balance, not its register, says how long it lasts.
    /// </summary>
    public string? CreditLeft => Forecast switch
    {
        ForecastOutcome.Central => null,
        ForecastOutcome.Found { Forecast: { RunsOutAt: { } end } f } when end <= f.At =>
            $"Probably none left now (due to run out {Local(end, f.Zone)})",
        ForecastOutcome.Found { Forecast: { RunsOutAt: { } end, DaysLeft: { } days } f } =>
            $"{Days(days)} of credit left (until {Local(end, f.Zone)})",
        ForecastOutcome.Found { Forecast.Method: "weekdayHour" or "flatAverage" } =>
            $"More than {(long)CreditForecaster.Horizon.TotalDays} days at your usual use",
        _ => "Not enough readings yet to say",
    };

    private static string Days(int days) => days switch
    {
        <= 0 => "Less than a day",
        1 => "About 1 day",
        _ => $"About {days} days",
    };

    private static string Local(Instant at, string zone) =>
        at.InZone(DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? DateTimeZone.Utc).ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture);
}
