using System.Globalization;
using System.Text;
using NodaTime.Text;

namespace Prepay.Reports.Reconciliation;

/// <summary>The differences as CSV (RFC 4180), one row each, the same fields as the JSON.</summary>
public static class ReconciliationCsv
{
    public const string Header = "cause,reference,amountMinor,currency,at,detail";

    public static string Write(ReconciliationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder(Header).Append("\r\n");
        foreach (var d in report.Differences)
        {
            csv.Append(Field(d.Cause)).Append(',').Append(Field(d.Reference)).Append(',')
                .Append(d.AmountMinor?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Field(d.Currency ?? "")).Append(',')
                .Append(InstantPattern.ExtendedIso.Format(d.At)).Append(',').Append(Field(d.Detail)).Append("\r\n");
        }
        return csv.ToString();
    }

    // Quoted when it holds a comma, a quote or a line break; a leading =, +, - or @ is prefixed with ' so that no
    // spreadsheet runs it as a formula.
    private static string Field(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
