using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Domain.Metering;
using Prepay.Reports.Tables;
using Prepay.Storage;
using Prepay.Storage.Queries;

namespace Prepay.Reports.Operations;

/// <summary>
/// Meters offline at the period's end, or now if that is sooner (issue 17, item 4): installed smart meters, and any
/// meter that has ever reported, last heard from <see cref="SilentAfter"/> or more before then, or never. A keypad
/// meter that has never reported is not offline: it has no link to lose.
/// </summary>
public sealed class OfflineReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    public static readonly Duration SilentAfter = Duration.FromHours(24);

    private static readonly ReportColumn[] Columns =
    [
        Cells.Text("site", "Site"), Cells.Text("unit", "Unit"), Cells.Text("meter", "Meter"), Cells.Text("transport", "Transport"),
        new("lastSeen", "Last heard from", ColumnKind.Instant), Cells.Integer("silentHours", "Silent (hours)"),
    ];

    public string Name => "offline";

    public string Title => "Meters offline";

    public string Description => "Installed meters not heard from for 24 hours or more at the period's end (or now if sooner), or never: smart meters, and any meter that has reported before.";

    public IReadOnlyList<string> Groupings => [];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var now = clock.GetCurrentInstant();
        var asOf = request.End < now ? request.End : now;
        var cutoff = asOf - SilentAfter;
        var meters = await (from p in MeterPlacements.Current(db)
                            join s in db.MeterStatus.AsNoTracking() on p.Meter.Id equals s.MeterId into status
                            from s in status.DefaultIfEmpty()
                            where p.SiteCode != null && (p.Meter.Mode == MeterMode.Smart || s != null)
                            select new { Site = p.SiteCode!, Unit = p.UnitLabel!, p.Meter.MeterNumber, p.Meter.Transport, LastSeen = s == null ? (Instant?)null : s.LastSeenAt })
            .ToListAsync(ct);
        var rows = meters.Where(m => m.LastSeen is null || m.LastSeen < cutoff)
            .OrderBy(m => m.Site, StringComparer.Ordinal).ThenBy(m => m.Unit, StringComparer.Ordinal).ThenBy(m => m.MeterNumber, StringComparer.Ordinal)
            .Select(m => (IReadOnlyList<object?>)[m.Site, m.Unit, m.MeterNumber, m.Transport.ToString().ToLowerInvariant(), Cells.Instant(m.LastSeen),
                m.LastSeen is { } seen ? (long)(asOf - seen).TotalHours : null])
            .ToList();
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, now, Columns, rows,
            new ReportChart("site", "silentHours", "Hours silent, per site"));
    }
}
