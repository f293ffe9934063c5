using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Tables;
using Prepay.Storage;

namespace Prepay.Reports.Sales;

/// <summary>
/// Sales per local day, vendor and channel (issue 17, item 4): the vends made and their amount, the reversals made that
/// day of that vendor's vends, and what is left, which is what the vendors' floats gave up for sales that day. Each
/// vend counts on the day it was made, each reversal on the day it was made.
/// </summary>
public sealed class SalesReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    public string Name => "sales";

    public string Title => "Sales per day, vendor and channel";

    public string Description => "Vends per local day, vendor and channel with their amount and energy, the reversals of that vendor's vends made that day, and the net: what the vendors' floats gave up.";

    public IReadOnlyList<string> Groupings => [];

    private static readonly ReportColumn[] Columns =
    [
        new("day", "Day", ColumnKind.Date), Cells.Text("vendor", "Vendor"), Cells.Text("channel", "Channel"), Cells.Text("currency", "Currency"),
        Cells.Integer("vends", "Vends"), Cells.Integer("soldMinor", "Sold (minor units)"), new("sold", "Sold", ColumnKind.Amount),
        Cells.Integer("reversals", "Reversals"), Cells.Integer("reversedMinor", "Reversed (minor units)"),
        Cells.Integer("netMinor", "Net (minor units)"), new("net", "Net", ColumnKind.Amount), Cells.Integer("energyWh", "Energy (Wh)"),
    ];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var (start, end) = (request.Start, request.End);
        var vends = await (from v in db.Vends.AsNoTracking()
                           join o in db.Vendors.AsNoTracking() on v.VendorId equals o.Id
                           where v.At >= start && v.At < end
                           select new { v.At, Vendor = o.Code, v.Channel, v.Currency, v.AmountMinor, v.EnergyWh }).ToListAsync(ct);
        var reversals = await (from r in db.VendReversals.AsNoTracking()
                               join v in db.Vends.AsNoTracking() on r.VendId equals v.Id
                               join o in db.Vendors.AsNoTracking() on v.VendorId equals o.Id
                               where r.At >= start && r.At < end
                               select new { r.At, Vendor = o.Code, v.Channel, v.Currency, v.AmountMinor, v.EnergyWh }).ToListAsync(ct);
        var soldBy = vends.ToLookup(v => (Day: request.DayOf(v.At), v.Vendor, v.Channel, v.Currency));
        var reversedBy = reversals.ToLookup(r => (Day: request.DayOf(r.At), r.Vendor, r.Channel, r.Currency));
        var keys = soldBy.Select(g => g.Key).Union(reversedBy.Select(g => g.Key))
            .OrderBy(k => k.Day).ThenBy(k => k.Vendor, StringComparer.Ordinal).ThenBy(k => k.Channel, StringComparer.Ordinal).ThenBy(k => k.Currency, StringComparer.Ordinal);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var k in keys)
        {
            var (sold, back) = (soldBy[k].ToList(), reversedBy[k].ToList());
            var (soldMinor, reversedMinor) = (sold.Sum(v => v.AmountMinor), back.Sum(r => r.AmountMinor));
            rows.Add([
                Cells.Date(k.Day), k.Vendor, k.Channel, k.Currency, (long)sold.Count, soldMinor, Cells.Amount(soldMinor, k.Currency),
                (long)back.Count, reversedMinor, soldMinor - reversedMinor, Cells.Amount(soldMinor - reversedMinor, k.Currency),
                sold.Sum(v => v.EnergyWh) - back.Sum(r => r.EnergyWh),
            ]);
        }
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, clock.GetCurrentInstant(), Columns, rows,
            new ReportChart("day", "netMinor", "Net sales per day (minor units)"));
    }
}
