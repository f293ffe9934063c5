using NodaTime;
using NodaTime.Text;

namespace Prepay.Reports.Tables;

/// <summary>
/// A report as JSON: its period, its columns and each row as an object of the same names and values the CSV has, in
/// the same order.
/// </summary>
public sealed record ReportJson(string Report, string Title, string From, string To, string Zone, Instant AsOf,
    IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows, ReportChart Chart)
{
    public static ReportJson Of(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Rows.Select(r =>
        {
            var row = new Dictionary<string, object?>(table.Columns.Count, StringComparer.Ordinal);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                row[table.Columns[i].Name] = r[i];
            }
            return (IReadOnlyDictionary<string, object?>)row;
        }).ToList();
        return new ReportJson(table.Report, table.Title, LocalDatePattern.Iso.Format(table.From), LocalDatePattern.Iso.Format(table.To), table.Zone, table.AsOf,
            table.Columns, rows, table.Chart);
    }
}

/// <summary>A report in the list: what it is called, what it shows and the groupings it takes.</summary>
public sealed record ReportInfo(string Name, string Title, string Description, IReadOnlyList<string> Groupings)
{
    public static ReportInfo Of(IReport report) => new(report.Name, report.Title, report.Description, report.Groupings);
}
