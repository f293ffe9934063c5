using NodaTime;
using Prepay.Reports.Tables;

namespace Prepay.Reports.Reconciliation;

/// <summary>The differences of a reconciliation as a report table: one row each, the same fields as the JSON.</summary>
public static class ReconciliationCsv
{
    private static readonly ReportColumn[] Columns =
    [
        Cells.Text("cause", "Cause"), Cells.Text("reference", "Reference"), Cells.Integer("amountMinor", "Amount (minor units)"),
        Cells.Text("currency", "Currency"), new("at", "At", ColumnKind.Instant), Cells.Text("detail", "Detail"),
    ];

    public static string Header => string.Join(',', Columns.Select(c => c.Name));

    public static ReportTable Table(ReconciliationReport report, ReportRequest request) => new(
        ReconciliationTable.ReportName, ReconciliationTable.ReportTitle, request.From, request.To, request.Zone.Id, report.AsOf, Columns,
        [.. report.Differences.Select(d => (IReadOnlyList<object?>)[d.Cause, d.Reference, d.AmountMinor, d.Currency, Cells.Instant(d.At), d.Detail])],
        new ReportChart("cause", "amountMinor", "Differences by cause (minor units)"));

    public static string Write(ReconciliationReport report, ReportRequest request) => ReportCsv.Write(Table(report, request));
}

/// <summary>The reconciliation among the reports: its differences as the table, for the console and schedules.</summary>
public sealed class ReconciliationTable(PeriodReconciliation reconciliation) : IReport
{
    public const string ReportName = "reconciliation", ReportTitle = "Reconciliation";

    public string Name => ReportName;

    public string Title => ReportTitle;

    public string Description => "Vends, ledger, floats, online payments and credit registered on meters tied together: every difference with its cause.";

    public IReadOnlyList<string> Groupings => [];

    public async Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct) =>
        ReconciliationCsv.Table(await reconciliation.RunAsync(new Interval(request.Start, request.End), ct), request);
}
