using NodaTime;
using Prepay.Storage;

namespace Prepay.Alerts.Producers;

/// <summary>
/// The zone a meter's local days and hours are counted in: its tariff's, as central credit's forecast counts them.
/// <c>Prepay.Vending</c> knows the tariffs and registers it (alerts cannot reference vending: vending queues receipts here).
/// </summary>
public interface IMeterZones
{
    /// <summary>The zone of the tariff pricing the meter at <paramref name="at"/>, UTC when it has none.</summary>
    Task<DateTimeZone> ForMeterAsync(PrepayDb db, Guid meterId, Instant at, CancellationToken ct);
}
