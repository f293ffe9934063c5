using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Domain.Money;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// Sales by UTC day over a range of dates (at most <see cref="MaxDays"/>): vends, money taken, reversals and energy
/// sold, per currency, with a chart and the vends themselves as CSV. Reversed vends count in "reversed", not in "sold".
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class SalesModel(PrepayDb db, IClock clock, OperatorZone zones) : PageModel
{
    /// <summary>Days start at local midnight in the operator's zone.</summary>
    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public const int MaxDays = 92;
    private static readonly LocalDatePattern Date = LocalDatePattern.Iso;

    public sealed record Day(string Date, string Currency, int Vends, long SoldMinor, long ReversedMinor, long EnergyWh);

    public sealed record VendorTotal(string Vendor, string Currency, int Vends, long SoldMinor);

    [BindProperty(SupportsGet = true)]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    public IReadOnlyList<Day> Days { get; private set; } = [];

    public IReadOnlyList<VendorTotal> Vendors { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        if (Range() is not { } range)
        {
            return;
        }
        var rows = await RowsAsync(range.From, range.To, ct);
        Days = [.. rows.GroupBy(r => (Date: Date.Format(r.At.InZone(Zone).Date), r.Currency)).OrderBy(g => g.Key.Date).ThenBy(g => g.Key.Currency)
            .Select(g => new Day(g.Key.Date, g.Key.Currency, g.Count(), g.Where(r => !r.Reversed).Sum(r => r.AmountMinor), g.Where(r => r.Reversed).Sum(r => r.AmountMinor),
                g.Where(r => !r.Reversed).Sum(r => r.EnergyWh)))];
        Vendors = [.. rows.Where(r => !r.Reversed).GroupBy(r => (r.Vendor, r.Currency)).OrderBy(g => g.Key.Vendor)
            .Select(g => new VendorTotal(g.Key.Vendor, g.Key.Currency, g.Count(), g.Sum(r => r.AmountMinor)))];
    }

    /// <summary>The range's vends as CSV (RFC 4180), one line each, money in major units as the API writes it.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        if (Range() is not { } range)
        {
            return BadRequest(Error ?? "");
        }
        var csv = SalesCsv.Write((await RowsAsync(range.From, range.To, ct)).Select(r =>
            new SalesCsv.Row(r.Id, r.At, r.Vendor, r.Meter, r.Kind, r.Channel, r.Currency, Major(r.AmountMinor, r.Currency), r.EnergyWh, r.Reversed)));
        await PeopleAuditEntryAsync(range, ct);
        return File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"prepay-sales-{Date.Format(range.From)}-{Date.Format(range.To)}.csv");
    }

    public static string Major(long minor, string currency) => new Money(minor, Currency.FromCode(currency)).ToDecimalString();

    private sealed record VendRow(Guid Id, Instant At, string Vendor, string Meter, string Kind, string Channel, string Currency, long AmountMinor, long EnergyWh, bool Reversed);

    private async Task<List<VendRow>> RowsAsync(LocalDate from, LocalDate to, CancellationToken ct)
    {
        var start = from.AtStartOfDayInZone(Zone).ToInstant();
        var end = to.PlusDays(1).AtStartOfDayInZone(Zone).ToInstant();
        return await (from v in db.Vends.AsNoTracking()
                      where v.At >= start && v.At < end
                      join vendor in db.Vendors on v.VendorId equals vendor.Id
                      join r in db.VendReversals on v.Id equals r.VendId into rs
                      from r in rs.DefaultIfEmpty()
                      orderby v.At
                      select new VendRow(v.Id, v.At, vendor.Code, v.MeterNumber, v.Kind.ToString(), v.Channel, v.Currency, v.AmountMinor, v.EnergyWh, r != null)).ToListAsync(ct);
    }

    private (LocalDate From, LocalDate To)? Range()
    {
        var today = clock.GetCurrentInstant().InZone(Zone).Date;
        var to = string.IsNullOrWhiteSpace(To) ? today : Date.Parse(To.Trim()) is { Success: true } t ? t.Value : (LocalDate?)null;
        var from = string.IsNullOrWhiteSpace(From) ? to?.PlusDays(-29) : Date.Parse(From.Trim()) is { Success: true } f ? f.Value : (LocalDate?)null;
        if (from is null || to is null)
        {
            Error = "Dates are written 2026-11-23.";
            return null;
        }
        if (from > to || Period.Between(from.Value, to.Value, PeriodUnits.Days).Days >= MaxDays)
        {
            Error = $"Choose a start on or before the end, at most {MaxDays} days apart.";
            return null;
        }
        From = Date.Format(from.Value);
        To = Date.Format(to.Value);
        return (from.Value, to.Value);
    }

    private Task PeopleAuditEntryAsync((LocalDate From, LocalDate To) range, CancellationToken ct) =>
        People.PeopleAudit.RecordAsync(db, clock, StaffActor.AuditName(User), "sales.export", "vends", $"{Date.Format(range.From)}..{Date.Format(range.To)}", ct);

}
