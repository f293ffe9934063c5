using Microsoft.EntityFrameworkCore;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Vending.Vends;

/// <summary>Finds the meter a vend names, by meter number or by site code and unit label ("recharge by room number").</summary>
internal static class VendTargets
{
    public static Task<(VendTarget? Target, VendOutcome? Failure)> ResolveAsync(PrepayDb db, VendCommand cmd, CancellationToken ct) =>
        ResolveAsync(db, cmd.MeterNumber, cmd.Site, cmd.Unit, ct);

    public static async Task<(VendTarget? Target, VendOutcome? Failure)> ResolveAsync(PrepayDb db, Domain.Metering.MeterNumber? meterNumber, string? site, string? unit, CancellationToken ct)
    {
        var query = MeterPlacements.Current(db);

        var row = meterNumber is { } number
            ? await query.FirstOrDefaultAsync(x => x.Meter.MeterNumber == number.Value, ct)
            : await query.FirstOrDefaultAsync(x => x.SiteCode == site && x.UnitLabel == unit, ct);

        if (row is null)
        {
            return (null, new VendOutcome.NotFound(meterNumber is { } n
                ? $"No meter with number '{n}'."
                : $"No meter installed at unit '{unit}' of site '{site}'."));
        }
        if (row.CustomerId is not { } customerId)
        {
            return (null, new VendOutcome.Unprocessable("no-customer",
                $"Meter '{row.Meter.MeterNumber}' is not installed at premises with a customer; nobody's account can be credited."));
        }
        return (new VendTarget(row.Meter, customerId, row.CustomerName!, row.SiteCode, row.UnitLabel), null);
    }
}
