using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Domain.Money;
using Prepay.Ledger.Accounts;
using Prepay.Ledger.Transactions;
using Prepay.Storage;
using Prepay.Storage.Ledger;
using Prepay.Vending.Contracts;
using Prepay.Vending.Pricing;
using Prepay.Vending.Vends;

namespace Prepay.Server.Web.Pos;

/// <summary>A vend of the day as the cash-up lists it.</summary>
public sealed record CashUpVend(Guid Id, Instant At, string ReceiptNumber, string MeterNumber, string Channel, Money Amount, string EnergyKwh, bool Reversed);

/// <summary>A reversal made during the day, of a vend of this vendor (the vend may be of the day before).</summary>
public sealed record CashUpReversal(Guid VendId, Instant At, string ReceiptNumber, Money Amount, string Reason, string By);

public sealed record ChannelTotal(string Channel, int Count, Money Amount);

/// <summary>
/// A vendor's day: what it sold (by channel), what was reversed, the commission it earned, and its float at the
/// start and end of the day. Two independent sources are set side by side: the vends and reversals as recorded,
/// and the float's balance in the ledger. They reconcile when start + deposits − sales + reversals = end.
/// </summary>
public sealed record CashUpReport(
    string VendorCode,
    string VendorName,
    Currency Currency,
    LocalDate Day,
    DateTimeZone Zone,
    Instant Start,
    Instant To,
    bool DayIsOver,
    IReadOnlyList<CashUpVend> Vends,
    IReadOnlyList<ChannelTotal> ByChannel,
    IReadOnlyList<CashUpReversal> Reversals,
    Money Sales,
    Money Reversed,
    Money Commission,
    Money Deposits,
    Money FloatAtStart,
    Money FloatAtEnd)
{
    /// <summary>The float the vends, reversals and deposits say there should be at the end.</summary>
    public Money ExpectedFloatAtEnd => FloatAtStart + Deposits - Sales + Reversed;

    public bool Reconciled => ExpectedFloatAtEnd == FloatAtEnd;

    /// <summary>The cash the counter should hold for the day: what was sold, less what was handed back.</summary>
    public Money CashTaken => Sales - Reversed;
}

/// <summary>
/// Builds a vendor's cash-up for a local day. The day is counted in <c>Pos:TimeZone</c> when configured, else in the
/// time zone the vendor's tariffs share (one utility, one zone), else in UTC; the report names its zone. Float
/// balances come from the ledger: the balance the database keeps now, less what moved since the instant asked for.
/// </summary>
public static class CashUps
{
    public const string TimeZoneSetting = "Pos:TimeZone";

    /// <summary>The console's zone: <c>Console:TimeZone</c> when configured, else as for cash-ups over every tariff.</summary>
    public const string ConsoleTimeZoneSetting = "Console:TimeZone";

    public static async Task<DateTimeZone> ZoneAsync(PrepayDb db, TariffCatalog tariffs, IConfiguration configuration, string? currency, Instant now, CancellationToken ct,
        string setting = TimeZoneSetting)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[setting] is { Length: > 0 } configured && DateTimeZoneProviders.Tzdb.GetZoneOrNull(configured) is { } zone)
        {
            return zone;
        }
        if (setting != TimeZoneSetting)
        {
            return await ZoneAsync(db, tariffs, configuration, currency, now, ct);
        }
        var codes = await db.Tariffs.AsNoTracking().Where(t => currency == null || t.Currency == currency).Select(t => t.Code).Distinct().ToListAsync(ct);
        var zones = new HashSet<string>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            if (await tariffs.EffectiveAsync(db, code, now, ct) is { } tariff)
            {
                zones.Add(tariff.TimeZone.Id);
            }
        }
        return zones.Count == 1 ? DateTimeZoneProviders.Tzdb[zones.Single()] : DateTimeZone.Utc;
    }

    public static async Task<CashUpReport?> ForDayAsync(PrepayDb db, Guid vendorId, LocalDate day, DateTimeZone zone, Instant now, CancellationToken ct)
    {
        var vendor = await db.Vendors.AsNoTracking().FirstOrDefaultAsync(v => v.Id == vendorId, ct);
        if (vendor is null)
        {
            return null;
        }
        var currency = Currency.FromCode(vendor.Currency);
        Money M(long minor) => new(minor, currency);
        var start = zone.AtStartOfDay(day).ToInstant();
        var to = zone.AtStartOfDay(day.PlusDays(1)).ToInstant();

        var rows = await db.Vends.AsNoTracking().Where(v => v.VendorId == vendorId && v.At >= start && v.At < to).OrderBy(v => v.At)
            .Select(v => new { v.Id, v.At, v.MeterNumber, v.Channel, v.AmountMinor, v.Response, Reversed = db.VendReversals.Any(r => r.VendId == v.Id) })
            .ToListAsync(ct);
        var vends = rows.Select(v =>
        {
            var response = JsonSerializer.Deserialize<VendResponse>(v.Response, VendingService.JsonOptions)!;
            return new CashUpVend(v.Id, v.At, response.Receipt.ReceiptNumber, v.MeterNumber, v.Channel, M(v.AmountMinor), response.EnergyKwh, v.Reversed);
        }).ToList();
        var reversalRows = await (
            from r in db.VendReversals.AsNoTracking()
            join v in db.Vends on r.VendId equals v.Id
            where v.VendorId == vendorId && r.At >= start && r.At < to
            orderby r.At
            select new { r.VendId, r.At, v.AmountMinor, r.Reason, r.Actor, v.Response }).ToListAsync(ct);
        var reversals = reversalRows.Select(r => new CashUpReversal(r.VendId, r.At,
            JsonSerializer.Deserialize<VendResponse>(r.Response, VendingService.JsonOptions)!.Receipt.ReceiptNumber, M(r.AmountMinor), r.Reason, r.Actor)).ToList();
        var byChannel = vends.GroupBy(v => v.Channel).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ChannelTotal(g.Key, g.Count(), M(g.Sum(v => v.Amount.Minor)))).ToList();

        var floatAccount = await AccountIdAsync(db, AccountCode.VendorFloat(vendorId, vendor.Currency), ct);
        var commissionAccount = await AccountIdAsync(db, AccountCode.VendorCommission(vendorId, vendor.Currency), ct);
        var floatNow = await LedgerStore.BalanceAsync(db, AccountCode.VendorFloat(vendorId, vendor.Currency), ct);
        var floatAtStart = floatNow - await NetAsync(db, floatAccount, start, null, null, ct);
        var floatAtEnd = floatNow - await NetAsync(db, floatAccount, to, null, null, ct);
        var deposits = await NetAsync(db, floatAccount, start, to, TransactionKind.FloatDeposit, ct);
        var commission = await NetAsync(db, commissionAccount, start, to, null, ct);

        return new CashUpReport(vendor.Code, vendor.Name, currency, day, zone, start, to, now >= to, vends, byChannel, reversals,
            M(vends.Sum(v => v.Amount.Minor)), M(reversals.Sum(r => r.Amount.Minor)), M(commission), M(deposits), M(floatAtStart), M(floatAtEnd));
    }

    private static async Task<long?> AccountIdAsync(PrepayDb db, AccountCode code, CancellationToken ct) =>
        await db.Accounts.AsNoTracking().Where(a => a.Code == code.Value).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct);

    /// <summary>What moved into the account (credits less debits) from <paramref name="start"/> on, before <paramref name="to"/> when given.</summary>
    private static async Task<long> NetAsync(PrepayDb db, long? account, Instant start, Instant? to, TransactionKind? kind, CancellationToken ct)
    {
        if (account is not { } id)
        {
            return 0;
        }
        var postings =
            from p in db.Postings.AsNoTracking()
            join t in db.LedgerTransactions on p.TransactionId equals t.Id
            where (p.CreditAccountId == id || p.DebitAccountId == id) && t.At >= start
            select new { p.Amount, p.CreditAccountId, t.At, t.Kind };
        if (to is { } end)
        {
            postings = postings.Where(p => p.At < end);
        }
        if (kind is { } k)
        {
            postings = postings.Where(p => p.Kind == k);
        }
        var credits = await postings.Where(p => p.CreditAccountId == id).SumAsync(p => (long?)p.Amount, ct) ?? 0;
        var debits = await postings.Where(p => p.CreditAccountId != id).SumAsync(p => (long?)p.Amount, ct) ?? 0;
        return credits - debits;
    }
}
