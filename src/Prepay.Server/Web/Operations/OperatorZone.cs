using Microsoft.Extensions.Configuration;
using NodaTime;
using Prepay.Server.Web.Pos;
using Prepay.Storage;
using Prepay.Vending.Pricing;

namespace Prepay.Server.Web.Operations;

/// <summary>
/// The time zone the operator console speaks in: <c>Console:TimeZone</c> when configured, else <c>Pos:TimeZone</c>,
/// else the zone all tariffs share (one utility, one zone), else UTC. Days in its reports (sales, the audit log's
/// filter) start at local midnight in it.
/// </summary>
public sealed class OperatorZone(TariffCatalog tariffs, IConfiguration configuration, IClock clock)
{
    public Task<DateTimeZone> ZoneAsync(PrepayDb db, CancellationToken ct) =>
        CashUps.ZoneAsync(db, tariffs, configuration, null, clock.GetCurrentInstant(), ct, CashUps.ConsoleTimeZoneSetting);
}
