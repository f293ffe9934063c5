using NodaTime;
using NodaTime.Text;
using Prepay.Reports.Reconciliation;
using Prepay.Reports.Welfare;
using Prepay.Server.Auth;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

/// <summary>Reports over a period of local days: JSON, or CSV with <c>format=csv</c> (or <c>Accept: text/csv</c>).</summary>
public static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports/reconciliation", Reconcile).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("Vends, ledger, floats, online payments and credit registered on meters tied together for from..to (local days in zone, default UTC; at most 366 days): totals and every difference with its cause.");
        api.MapGet("/welfare", Welfare).RequireAuthorization(Policies.Staff).WithTags("Welfare")
            .WithSummary("Households an operator may want to call on: out of credit for offDays (default 3) or more, disconnected for lack of credit four times or more in 30 days for under a day each, or using half what they did before a debt was loaded; each with its evidence.");
        api.MapGet("/welfare/self-disconnections", SelfDisconnections).RequireAuthorization(Policies.Staff).WithTags("Welfare")
            .WithSummary("Self-disconnections (supply off for lack of credit) per site and month from..to (YYYY-MM, UTC months, at most 36): how many, in how many households. CSV with format=csv.");
    }

    private static async Task<IResult> Welfare(int? offDays, WelfareSignals signals, CancellationToken ct) =>
        offDays is < 1 or > 365
            ? Problems.Invalid("offDays", "must be 1 to 365")
            : TypedResults.Ok(await signals.ListAsync(offDays ?? 3, ct));

    private static async Task<IResult> SelfDisconnections(string? from, string? to, string? format, HttpRequest request, WelfareSignals signals, CancellationToken ct)
    {
        var pattern = YearMonthPattern.Iso;
        if (!pattern.Parse(from ?? "").TryGetValue(default, out var first) || !pattern.Parse(to ?? "").TryGetValue(default, out var last)
            || last.CompareTo(first) < 0 || (last.Year - first.Year) * 12 + last.Month - first.Month >= 36)
        {
            return Problems.Invalid("from", "from and to are required months (YYYY-MM), from not after to, at most 36 months");
        }
        var counts = await signals.SelfDisconnectionsAsync(first, last, ct);
        if (!WantsCsv(format, request))
        {
            return TypedResults.Ok(counts);
        }
        var csv = new System.Text.StringBuilder("site,month,disconnections,households\r\n");
        foreach (var c in counts)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{c.Site},{c.Month},{c.Disconnections},{c.Households}\r\n");
        }
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> Reconcile(string? from, string? to, string? zone, string? format, HttpRequest request, PeriodReconciliation reconciliation, CancellationToken ct)
    {
        if (Period(from, to, zone) is not { } period)
        {
            return Problems.Invalid("from", "from and to are required dates (YYYY-MM-DD), from not after to, at most 366 days; zone an IANA time zone");
        }
        var report = await reconciliation.RunAsync(period, ct);
        return WantsCsv(format, request)
            ? TypedResults.Text(ReconciliationCsv.Write(report), "text/csv; charset=utf-8")
            : TypedResults.Ok(report);
    }

    /// <summary>[from 00:00, the day after to 00:00) in the zone; null when anything is missing or wrong.</summary>
    public static Interval? Period(string? from, string? to, string? zone)
    {
        var tz = zone is null ? DateTimeZone.Utc : DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone);
        if (tz is null || !LocalDatePattern.Iso.Parse(from ?? "").TryGetValue(default, out var first) || !LocalDatePattern.Iso.Parse(to ?? "").TryGetValue(default, out var last)
            || last < first || NodaTime.Period.DaysBetween(first, last) > 365)
        {
            return null;
        }
        return new Interval(tz.AtStartOfDay(first).ToInstant(), tz.AtStartOfDay(last.PlusDays(1)).ToInstant());
    }

    private static bool WantsCsv(string? format, HttpRequest request) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
}
