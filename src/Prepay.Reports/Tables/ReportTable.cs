using NodaTime;

namespace Prepay.Reports.Tables;

/// <summary>What a column holds, for the console's alignment and the chart; JSON and CSV carry the same values either way.</summary>
public enum ColumnKind
{
    Text,

    /// <summary>A local date, ISO 8601.</summary>
    Date,

    /// <summary>An instant, ISO 8601 UTC.</summary>
    Instant,

    /// <summary>A whole number: a count, minor units, watt-hours.</summary>
    Integer,

    /// <summary>An amount in its currency's decimal form (the same amount is in a <c>…Minor</c> integer column beside it).</summary>
    Amount,
}

public sealed record ReportColumn(string Name, string Title, ColumnKind Kind);

/// <summary>
/// What the console charts: the sum of <see cref="Value"/> for each distinct <see cref="Label"/>, in the table's order.
/// </summary>
public sealed record ReportChart(string Label, string Value, string Caption);

/// <summary>
/// One report run: its columns, its rows (each cell a <see cref="string"/>, a <see cref="long"/> or null, in column
/// order) and the period and zone it covers. The JSON, the CSV, the console's table and chart and the scheduled email
/// are all written from this one value, so they cannot say different things.
/// </summary>
public sealed record ReportTable(
    string Report,
    string Title,
    LocalDate From,
    LocalDate To,
    string Zone,
    Instant AsOf,
    IReadOnlyList<ReportColumn> Columns,
    IReadOnlyList<IReadOnlyList<object?>> Rows,
    ReportChart Chart)
{
    /// <summary>The sum of an integer column over every row.</summary>
    public long Total(string column)
    {
        var i = Index(column);
        return Rows.Sum(r => r[i] is long v ? v : 0);
    }

    public int Index(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }
        throw new ArgumentException($"no column {column} in {Report}", nameof(column));
    }
}

/// <summary>What a report is asked for: whole local days <see cref="From"/> to <see cref="To"/> in <see cref="Zone"/>, and a grouping where the report has several.</summary>
public sealed record ReportRequest(LocalDate From, LocalDate To, DateTimeZone Zone, string? GroupBy = null)
{
    public Instant Start => Zone.AtStartOfDay(From).ToInstant();

    public Instant End => Zone.AtStartOfDay(To.PlusDays(1)).ToInstant();

    /// <summary>The local day an instant falls on in the request's zone.</summary>
    public LocalDate DayOf(Instant at) => at.InZone(Zone).Date;
}

/// <summary>One report: its name in the API, what it is, the groupings it takes (the first is the default) and how it runs.</summary>
public interface IReport
{
    string Name { get; }

    string Title { get; }

    string Description { get; }

    IReadOnlyList<string> Groupings { get; }

    Task<ReportTable> RunAsync(ReportRequest request, CancellationToken ct);
}
