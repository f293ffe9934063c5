using NodaTime;
using NodaTime.Text;

namespace Prepay.Reports.Tables;

/// <summary>
/// Every report by name, and the one reading of a request's words (from, to, zone, groupBy) that the API, the
/// console and the schedules share: whole local days, from not after to, at most <see cref="MaxDays"/> of them.
/// </summary>
public sealed class ReportCatalogue(IEnumerable<IReport> reports)
{
    public const int MaxDays = 366;

    public IReadOnlyList<IReport> All { get; } = [.. reports];

    public IReport? Find(string? name) => All.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    /// <summary>The request, or the parameter that is wrong and why.</summary>
    public static ReportRequestParse Parse(IReport report, string? from, string? to, string? zone, string? groupBy)
    {
        ArgumentNullException.ThrowIfNull(report);
        var tz = string.IsNullOrEmpty(zone) ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone);
        if (tz is null)
        {
            return new ReportRequestParse.Invalid("zone", "must be an IANA time zone such as Africa/Johannesburg");
        }
        if (!LocalDatePattern.Iso.Parse(from ?? "").TryGetValue(default, out var first))
        {
            return new ReportRequestParse.Invalid("from", "is required: a date, YYYY-MM-DD");
        }
        if (!LocalDatePattern.Iso.Parse(to ?? "").TryGetValue(default, out var last))
        {
            return new ReportRequestParse.Invalid("to", "is required: a date, YYYY-MM-DD");
        }
        if (last < first || Period.DaysBetween(first, last) >= MaxDays)
        {
            return new ReportRequestParse.Invalid("to", $"must be on or after from, and the period at most {MaxDays} days");
        }
        if (groupBy is not null && !report.Groupings.Contains(groupBy, StringComparer.Ordinal))
        {
            return new ReportRequestParse.Invalid("groupBy", report.Groupings.Count == 0 ? $"{report.Name} takes no grouping" : "must be one of " + string.Join(", ", report.Groupings));
        }
        return new ReportRequestParse.Valid(new ReportRequest(first, last, tz, groupBy));
    }
}

public abstract record ReportRequestParse
{
    public sealed record Valid(ReportRequest Request) : ReportRequestParse;

    public sealed record Invalid(string Parameter, string Problem) : ReportRequestParse;
}
