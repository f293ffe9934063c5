using NodaTime;
using Prepay.Reports.Tables;

namespace Prepay.Reports.Welfare;

/// <summary>Self-disconnections per site and month as a report table, for its CSV: the same fields as the JSON.</summary>
public static class SelfDisconnectionsTable
{
    private static readonly ReportColumn[] Columns =
    [
        Cells.Text("site", "Site"), Cells.Text("month", "Month"), Cells.Integer("disconnections", "Self-disconnections"), Cells.Integer("households", "Households"),
    ];

    public static ReportTable Of(IReadOnlyList<SelfDisconnectionCount> counts, YearMonth from, YearMonth to, Instant asOf)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new ReportTable("self-disconnections", "Self-disconnections per site and month", from.OnDayOfMonth(1), to.OnDayOfMonth(1).PlusMonths(1).PlusDays(-1), "UTC", asOf, Columns,
            [.. counts.Select(c => (IReadOnlyList<object?>)[c.Site, c.Month, (long)c.Disconnections, (long)c.Households])],
            new ReportChart("month", "disconnections", "Self-disconnections per month"));
    }
}
