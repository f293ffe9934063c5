using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Prepay.Reports.Tables;
using Prepay.Storage;
using Prepay.Storage.Records.Revenue;

namespace Prepay.Reports.Operations;

/// <summary>
/// Operator alerts raised and revenue-protection findings made per local day and kind (issue 17, item 4), with how
/// many of them are still open now (an alert not acknowledged; a finding open or under investigation).
/// </summary>
public sealed class AlertsAndFindingsReport(IServiceScopeFactory scopes, IClock clock) : IReport
{
    public const string Alert = "alert", Finding = "finding";

    private static readonly ReportColumn[] Columns =
    [
        new("day", "Day", ColumnKind.Date), Cells.Text("source", "Source"), Cells.Text("kind", "Kind"),
        Cells.Integer("raised", "Raised"), Cells.Integer("open", "Still open"),
    ];

    public string Name => "alerts";

    public string Title => "Alerts and findings";

    public string Description => "Operator alerts raised and revenue-protection findings made per local day and kind, and how many are still open.";

    public IReadOnlyList<string> Groupings => [];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PrepayDb>();
        var (start, end) = (request.Start, request.End);
        var alerts = await db.OperatorAlerts.AsNoTracking().Where(a => a.RaisedAt >= start && a.RaisedAt < end)
            .Select(a => new { At = a.RaisedAt, Kind = a.Type, Open = a.AcknowledgedAt == null }).ToListAsync(ct);
        var findings = await db.Findings.AsNoTracking().Where(f => f.FoundAt >= start && f.FoundAt < end)
            .Select(f => new { At = f.FoundAt, f.Kind, Open = f.State == FindingRecord.Open || f.State == FindingRecord.Investigating }).ToListAsync(ct);
        var rows = alerts.Select(a => (Source: Alert, a.At, a.Kind, a.Open)).Concat(findings.Select(f => (Source: Finding, f.At, f.Kind, f.Open)))
            .GroupBy(x => (Day: request.DayOf(x.At), x.Source, x.Kind))
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Source, StringComparer.Ordinal).ThenBy(g => g.Key.Kind, StringComparer.Ordinal)
            .Select(g => (IReadOnlyList<object?>)[Cells.Date(g.Key.Day), g.Key.Source, g.Key.Kind, (long)g.Count(), (long)g.Count(x => x.Open)])
            .ToList();
        return new ReportTable(Name, Title, request.From, request.To, request.Zone.Id, clock.GetCurrentInstant(), Columns, rows,
            new ReportChart("kind", "raised", "Raised, per kind"));
    }
}
