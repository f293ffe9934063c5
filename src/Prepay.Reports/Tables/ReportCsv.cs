using System.Globalization;
using CsvHelper;

namespace Prepay.Reports.Tables;

/// <summary>
/// A report as CSV (RFC 4180): a header of the column names, then each row's cells as the JSON has them (integers in
/// invariant digits, null as an empty cell). Cells a spreadsheet would run as a formula are written inert (CsvHelper's
/// injection escaping; OWASP, CSV injection).
/// </summary>
public static class ReportCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static string Write(ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, true))
        {
            csv.WriteHeader([.. table.Columns.Select(c => c.Name)]);
            foreach (var row in table.Rows)
            {
                csv.WriteRecord([.. row.Select(Cell)]);
            }
        }
        return text.ToString();
    }

    /// <summary>A file name for the report of a period: <c>sales-2026-11-01-2026-11-30.csv</c>.</summary>
    public static string FileName(ReportTable table) =>
        string.Create(CultureInfo.InvariantCulture, $"{table.Report}-{table.From:yyyy-MM-dd}-{table.To:yyyy-MM-dd}.csv");

    private static string Cell(object? value) => value switch
    {
        null => "",
        long v => v.ToString(CultureInfo.InvariantCulture),
        int v => v.ToString(CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new InvalidOperationException($"a report cell is a string, an integer or null, not {value.GetType().Name}"),
    };
}
