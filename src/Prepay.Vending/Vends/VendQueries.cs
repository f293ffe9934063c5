using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Storage;
using Prepay.Vending.Contracts;

namespace Prepay.Vending.Vends;

/// <summary>Reprints and listings. A vendor sees its own vends; operators and admins see all.</summary>
public static class VendQueries
{
    public const int MaxPage = 500;

    /// <summary>The vend exactly as first returned (same token, same receipt), or null.</summary>
    public static async Task<VendResponse?> ReprintAsync(PrepayDb db, Guid id, Actor actor, CancellationToken ct)
    {
        var row = await db.Vends.AsNoTracking()
            .Where(v => v.Id == id)
            .Where(v => actor.Role == Role.Admin || actor.Role == Role.Operator || v.VendorId == actor.VendorId)
            .Select(v => v.Response)
            .FirstOrDefaultAsync(ct);
        return row is null ? null : JsonSerializer.Deserialize<VendResponse>(row, VendingService.Json);
    }

    public static async Task<IReadOnlyList<VendSummary>> ListAsync(PrepayDb db, string? meterNumber, Instant? from, Instant? to, int limit, Actor actor, CancellationToken ct)
    {
        var q = db.Vends.AsNoTracking()
            .Where(v => actor.Role == Role.Admin || actor.Role == Role.Operator || v.VendorId == actor.VendorId);
        if (!string.IsNullOrWhiteSpace(meterNumber))
        {
            q = q.Where(v => v.MeterNumber == meterNumber);
        }
        if (from is { } f)
        {
            q = q.Where(v => v.At >= f);
        }
        if (to is { } t)
        {
            q = q.Where(v => v.At < t);
        }
        var rows = await (
            from v in q
            join vendor in db.Vendors on v.VendorId equals vendor.Id
            orderby v.At descending
            select new
            {
                v.Id, v.Kind, v.MeterNumber, v.AmountMinor, v.Currency, v.EnergyWh, v.Token, v.At, VendorCode = vendor.Code,
                Reversed = db.VendReversals.Any(r => r.VendId == v.Id),
            }).Take(Math.Clamp(limit, 1, MaxPage)).ToListAsync(ct);
        return rows.Select(r => new VendSummary(r.Id, r.Kind.ToString().ToLowerInvariant(), r.MeterNumber,
            new Money(r.AmountMinor, Currency.FromCode(r.Currency)).ToDecimalString(), r.Currency, r.EnergyWh, r.Token,
            InstantPattern.ExtendedIso.Format(r.At), r.VendorCode, r.Reversed)).ToList();
    }
}
