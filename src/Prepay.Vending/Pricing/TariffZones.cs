using NodaTime;
using Prepay.Alerts.Producers;
using Prepay.Storage;

namespace Prepay.Vending.Pricing;

/// <summary>Alerts' <see cref="IMeterZones"/>: the zone of the tariff pricing the meter, as the forecasts and statements count local time.</summary>
public sealed class TariffZones(TariffCatalog tariffs) : IMeterZones
{
    public async Task<DateTimeZone> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct) =>
        (await tariffs.ForMeterAsync(db, meterId, at, ct))?.TimeZone ?? DateTimeZone.Utc;
}
