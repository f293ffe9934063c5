using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using NodaTime.Text;
using Prepay.Reports.Schedules;
using Prepay.Reports.Tables;
using Prepay.Server.Web.Operations;
using Prepay.Storage;

namespace Prepay.Server.Web.Pages.Operations;

/// <summary>
/// The reports (docs/reports.md) for a period in the operator's zone: a chart and the table, the same rows as the API's
/// JSON and CSV, the CSV to download; and the report schedules, made and deleted here (audited).
/// </summary>
[Authorize(Policy = StaffPages.Policy)]
public sealed class ReportsModel(PrepayDb db, IClock clock, OperatorZone zones, ReportCatalogue catalogue, ReportSchedules schedules) : PageModel
{
    /// <summary>At most this many rows are drawn on the page; the CSV has them all.</summary>
    public const int ShownRows = 500;

    [FromQuery(Name = "report")]
    public string? Name { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "groupBy")]
    public string? GroupBy { get; set; }

    public IReadOnlyList<IReport> Reports => catalogue.All;

    public IReport Report { get; private set; } = null!;

    public DateTimeZone Zone { get; private set; } = DateTimeZone.Utc;

    public ReportTable? Table { get; private set; }

    /// <summary>The chart's bars: each label's summed value, in the table's order.</summary>
    public IReadOnlyList<(string Label, long Value)> Bars { get; private set; } = [];

    public IReadOnlyList<ReportScheduleView> Schedules { get; private set; } = [];

    public string? Message { get; private set; }

    public string? Error { get; private set; }

    public string CsvLink => $"/console/reports?handler=Csv&report={Uri.EscapeDataString(Report.Name)}&from={From}&to={To}" + (GroupBy is null ? "" : "&groupBy=" + Uri.EscapeDataString(GroupBy));

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(run: true, ct);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(run: true, ct);
        return Table is null ? Page() : File(System.Text.Encoding.UTF8.GetBytes(ReportCsv.Write(Table)), ReportCsv.ContentType, ReportCsv.FileName(Table));
    }

    public async Task<IActionResult> OnPostScheduleAsync(string? cadence, string? recipients, CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        var input = new ScheduleInput(Name, string.IsNullOrEmpty(GroupBy) ? null : GroupBy, cadence, Zone.Id,
            (recipients ?? "").Split([',', ';', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        switch (await schedules.CreateAsync(input, StaffActor.AuditName(User), ct))
        {
            case ScheduleOutcome.Created created:
                Message = $"{created.Schedule.Report} is scheduled {created.Schedule.Cadence} to {string.Join(", ", created.Schedule.Recipients)}.";
                break;
            case ScheduleOutcome.Invalid invalid:
                Error = $"{invalid.Parameter}: {invalid.Problem}";
                break;
            case var other:
                throw new InvalidOperationException($"Unhandled outcome {other}");
        }
        await LoadAsync(run: false, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostUnscheduleAsync(Guid id, CancellationToken ct)
    {
        if (await schedules.DeleteAsync(id, StaffActor.AuditName(User), ct))
        {
            Message = "The schedule is deleted.";
        }
        else
        {
            Error = "There is no such schedule.";
        }
        await LoadAsync(run: false, ct);
        return Page();
    }

    private async Task LoadAsync(bool run, CancellationToken ct)
    {
        Zone = await zones.ZoneAsync(db, ct);
        Report = catalogue.Find(Name) ?? catalogue.All[0];
        Name = Report.Name;
        GroupBy = Report.Groupings.Contains(GroupBy ?? "", StringComparer.Ordinal) ? GroupBy : null;
        var today = clock.GetCurrentInstant().InZone(Zone).Date;
        From ??= LocalDatePattern.Iso.Format(today.With(DateAdjusters.StartOfMonth));
        To ??= LocalDatePattern.Iso.Format(today);
        Schedules = await schedules.ListAsync(ct);
        if (!run)
        {
            return;
        }
        switch (ReportCatalogue.Parse(Report, From, To, Zone.Id, GroupBy))
        {
            case ReportRequestParse.Valid valid:
                Table = await Report.RunAsync(valid.Request, ct);
                var label = Table.Index(Table.Chart.Label);
                var value = Table.Index(Table.Chart.Value);
                Bars = [.. Table.Rows.GroupBy(r => r[label]?.ToString() ?? "").Select(g => (g.Key, g.Sum(r => r[value] is long v ? v : 0)))];
                break;
            case ReportRequestParse.Invalid invalid:
                Error = $"{invalid.Parameter}: {invalid.Problem}";
                break;
        }
    }
}
