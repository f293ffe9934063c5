using Microsoft.EntityFrameworkCore;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Vending.Vends;

/// <summary>Finds the meter a vend names, by meter number or by site code and unit label ("recharge by room number").</summary>
internal static class VendTargets
{
    /// <summary>
    /// The vend's target and where its receipt goes, in one compiled query (<see cref="VendTargetRead"/>); the
    /// refusals are those of <see cref="ResolveAsync(PrepayDb, Domain.Metering.MeterNumber?, string?, string?, CancellationToken)"/>.
    /// </summary>
    /// <remarks>
    /// SQLite cannot join the webhooks (a collection unrelated to the meter) into that query (it has no APPLY or
    /// LATERAL), and its reads are calls into the library in this process rather than round trips: there the target
    /// and the destinations are read apart.
    /// </remarks>
    public static async Task<(VendTarget? Target, Alerts.Outbox.Destinations? ReceiptsTo, VendOutcome? Failure)> ResolveWithReceiptsAsync(PrepayDb db, VendCommand cmd, CancellationToken ct)
    {
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var (target, failure) = await ResolveAsync(db, cmd.MeterNumber, cmd.Site, cmd.Unit, ct);
            return target is null ? (null, null, failure) : (target, await Alerts.Producers.TopUpReceipts.DestinationsAsync(db, target.CustomerId, ct), null);
        }
        var row = cmd.MeterNumber is { } number
            ? await VendTargetRead.ByMeterNumberAsync(db, number.Value, ct)
            : await VendTargetRead.BySiteAndUnitAsync(db, cmd.Site, cmd.Unit, ct);
        if (row is null)
        {
            return (null, null, NotFound(cmd.MeterNumber, cmd.Site, cmd.Unit));
        }
        if (row.CustomerId is not { } customerId)
        {
            return (null, null, NoCustomer(row.Meter.MeterNumber));
        }
        return (new VendTarget(row.Meter, customerId, row.CustomerName!, row.SiteCode, row.UnitLabel), VendTargetRead.Destinations(row), null);
    }

    public static async Task<(VendTarget? Target, VendOutcome? Failure)> ResolveAsync(PrepayDb db, Domain.Metering.MeterNumber? meterNumber, string? site, string? unit, CancellationToken ct)
    {
        var query = MeterPlacements.Current(db);

        var row = meterNumber is { } number
            ? await query.FirstOrDefaultAsync(x => x.Meter.MeterNumber == number.Value, ct)
            : await query.FirstOrDefaultAsync(x => x.SiteCode == site && x.UnitLabel == unit, ct);

        if (row is null)
        {
            return (null, NotFound(meterNumber, site, unit));
        }
        if (row.CustomerId is not { } customerId)
        {
            return (null, NoCustomer(row.Meter.MeterNumber));
        }
        return (new VendTarget(row.Meter, customerId, row.CustomerName!, row.SiteCode, row.UnitLabel), null);
    }

    private static VendOutcome.NotFound NotFound(Domain.Metering.MeterNumber? meterNumber, string? site, string? unit) =>
        new(meterNumber is { } n
            ? $"No meter with number '{n}'."
            : $"No meter installed at unit '{unit}' of site '{site}'.");

    private static VendOutcome.Unprocessable NoCustomer(string meterNumber) =>
        new("no-customer", $"Meter '{meterNumber}' is not installed at premises with a customer; nobody's account can be credited.");
}
