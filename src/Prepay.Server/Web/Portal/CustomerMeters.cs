using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Server.Web.Portal;

/// <summary>One of the signed-in customer's meters, with what the head-end last heard from it.</summary>
public sealed record CustomerMeter(
    Guid MeterId,
    string MeterNumber,
    MeterMode Mode,
    string Currency,
    long ResolutionWh,
    string? Site,
    string? Unit,
    Instant? InstalledAt,
    Instant? CustomerSince,
    bool? Online,
    Instant? LastSeenAt,
    string? Relay,
    long? CreditWh)
{
    /// <summary>
    /// Where this customer's view of the meter begins: the later of the meter's installation here and the start of
    /// their tenancy. Usage, purchases, tokens and payments before it belong to someone else (an earlier tenant, or
    /// the meter's life elsewhere).
    /// </summary>
    public Instant? Since => (InstalledAt, CustomerSince) switch
    {
        ({ } installed, { } tenant) => installed > tenant ? installed : tenant,
        (var installed, var tenant) => installed ?? tenant,
    };
}

/// <summary>
/// The customer's own meters, and nothing else: every query here is filtered by the customer of the meter's
/// premises, so a meter number typed into an address that is not the customer's is simply not found.
/// </summary>
public static class CustomerMeters
{
    public static async Task<IReadOnlyList<CustomerMeter>> ListAsync(PrepayDb db, Guid customerId, Instant now, CancellationToken ct)
    {
        var numbers = await MeterPlacements.Current(db).Where(x => x.CustomerId == customerId)
            .OrderBy(x => x.Meter.MeterNumber).Select(x => x.Meter.MeterNumber).ToListAsync(ct);
        var meters = new List<CustomerMeter>(numbers.Count);
        foreach (var number in numbers)
        {
            meters.Add((await FindAsync(db, customerId, number, now, ct))!);
        }
        return meters;
    }

    /// <summary>The customer's meter with this number, or null when there is none or it is someone else's.</summary>
    public static async Task<CustomerMeter?> FindAsync(PrepayDb db, Guid customerId, string? meterNumber, Instant now, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(meterNumber))
        {
            return null;
        }
        var number = meterNumber.Trim();
        var row = await MeterPlacements.Current(db).Where(x => x.Meter.MeterNumber == number && x.CustomerId == customerId)
            .Select(x => new { x.Meter, x.SiteCode, x.UnitLabel, x.CustomerSince }).FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }
        var installedAt = await db.MeterInstallations.AsNoTracking().Where(i => i.MeterId == row.Meter.Id && i.RemovedAt == null)
            .Select(i => (Instant?)i.InstalledAt).FirstOrDefaultAsync(ct);
        var status = await db.MeterStatus.AsNoTracking().FirstOrDefaultAsync(s => s.MeterId == row.Meter.Id, ct);
        var credit = status?.CreditWh
            ?? await db.Readings.AsNoTracking().Where(r => r.MeterId == row.Meter.Id).OrderByDescending(r => r.At).Select(r => (long?)r.CreditWh).FirstOrDefaultAsync(ct);
        var lastSeen = status?.LastSeenAt
            ?? await db.Readings.AsNoTracking().Where(r => r.MeterId == row.Meter.Id).OrderByDescending(r => r.At).Select(r => (Instant?)r.At).FirstOrDefaultAsync(ct);
        return new CustomerMeter(row.Meter.Id, row.Meter.MeterNumber, row.Meter.Mode, row.Meter.Currency, row.Meter.ResolutionWh, row.SiteCode, row.UnitLabel,
            installedAt, row.CustomerSince, status?.Online, lastSeen, status?.Relay, credit);
    }
}
