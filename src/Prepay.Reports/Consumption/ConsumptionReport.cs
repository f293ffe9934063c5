using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Tables;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Reports.Consumption;

/// <summary>
/// Energy used in the period per meter, premises or site (issue 17, item 4): the sum of the interval readings' deltas
/// the meters reported for [from, to], each meter counted where it is installed now (a meter taken out counts under
/// no premises). Estimated and edited readings count, and how many there were is shown; suspect ones (failed
/// validation, not priced either) are left out and counted.
/// </summary>
public sealed class ConsumptionReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    public const string ByMeter = "meter", ByPremises = "premises", BySite = "site";

    public string Name => "consumption";

    public string Title => "Consumption per meter, premises and site";

    public string Description => "Energy the meters reported for the period (interval readings), per meter (default), premises or site (groupBy), each meter where it is installed now.";

    public IReadOnlyList<string> Groupings => [ByMeter, ByPremises, BySite];

    private const string Suspect = "suspect";

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var (start, end) = (request.Start, request.End);
        var sums = await db.Readings.AsNoTracking().Where(r => r.At > start && r.At <= end)
            .GroupBy(r => r.MeterId)
            .Select(g => new
            {
                MeterId = g.Key,
                Readings = g.Count(),
                EnergyWh = g.Sum(r => r.Quality == Suspect ? 0 : r.DeltaWh),
                Estimated = g.Count(r => r.Quality == "estimated" || r.Quality == "edited"),
                Suspect = g.Count(r => r.Quality == Suspect),
            })
            .ToListAsync(ct);
        var ids = sums.Select(s => s.MeterId).ToList();
        var placed = await MeterPlacements.Current(db).Where(p => ids.Contains(p.Meter.Id))
            .Select(p => new { p.Meter.Id, p.Meter.MeterNumber, Site = p.SiteCode, Unit = p.UnitLabel }).ToListAsync(ct);
        var meters = sums.Join(placed, s => s.MeterId, p => p.Id, (s, p) => (Site: p.Site ?? "", Unit: p.Unit ?? "", Meter: p.MeterNumber, s.Readings, s.EnergyWh, s.Estimated, s.Suspect))
            .OrderBy(m => m.Site, StringComparer.Ordinal).ThenBy(m => m.Unit, StringComparer.Ordinal).ThenBy(m => m.Meter, StringComparer.Ordinal).ToList();
        var (columns, rows, label) = (request.GroupBy ?? ByMeter) switch
        {
            ByPremises => (Columns(Cells.Text("site", "Site"), Cells.Text("unit", "Unit"), Cells.Integer("meters", "Meters")),
                meters.GroupBy(m => (m.Site, m.Unit)).Select(g => Row(g.Key.Site, g.Key.Unit, (long)g.Count(), g)).ToList(), "unit"),
            BySite => (Columns(Cells.Text("site", "Site"), Cells.Integer("premises", "Premises"), Cells.Integer("meters", "Meters")),
                meters.GroupBy(m => m.Site).Select(g => Row(g.Key, (long)g.Select(m => m.Unit).Distinct().Count(), (long)g.Count(), g)).ToList(), "site"),
            _ => (Columns(Cells.Text("site", "Site"), Cells.Text("unit", "Unit"), Cells.Text("meter", "Meter")),
                meters.Select(m => Row(m.Site, m.Unit, m.Meter, [m])).ToList(), "meter"),
        };
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, clock.GetCurrentInstant(), columns, rows,
            new ReportChart(label, "energyWh", "Energy used (Wh)"));
    }

    private static ReportColumn[] Columns(params ReportColumn[] keys) =>
        [.. keys, Cells.Integer("readings", "Readings"), Cells.Integer("estimated", "Estimated or edited"), Cells.Integer("suspect", "Suspect (left out)"), Cells.Integer("energyWh", "Energy (Wh)")];

    private static IReadOnlyList<object?> Row(object a, object b, object c, IEnumerable<(string Site, string Unit, string Meter, int Readings, long EnergyWh, int Estimated, int Suspect)> meters)
    {
        var list = meters.ToList();
        return [a, b, c, (long)list.Sum(m => m.Readings), (long)list.Sum(m => m.Estimated), (long)list.Sum(m => m.Suspect), list.Sum(m => m.EnergyWh)];
    }
}
