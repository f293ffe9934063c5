using NodaTime;
using NodaTime.Text;
using Prepay.Reports.Reconciliation;
using Prepay.Reports.Schedules;
using Prepay.Reports.Tables;
using Prepay.Reports.Welfare;
using Prepay.Server.Auth;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

/// <summary>Reports over a period of local days: JSON, or CSV with <c>format=csv</c> (or <c>Accept: text/csv</c>); their schedules; welfare.</summary>
public static class ReportsApi
{
    public static void MapReportsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/reports", List).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("The reports there are: name, title, what each shows and the groupings it takes.");
        api.MapGet("/reports/reconciliation", Reconcile).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("Vends, ledger, floats, online payments and credit registered on meters tied together for from..to (local days in zone, default UTC; at most 366 days): totals and every difference with its cause.");
        api.MapGet("/reports/schedules", Schedules).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("Scheduled reports: each emailed with its CSV attached after every whole day, ISO week or month.");
        api.MapPost("/reports/schedules", Schedule).RequireAuthorization(Policies.Staff).WithTags("Reports").Accepts<ScheduleInput>("application/json")
            .WithSummary("Schedules a report: {report, groupBy?, cadence: daily|weekly|monthly, zone? (IANA, default UTC), recipients: [email, …]}; the last whole period is sent from the next round on. Audited.");
        api.MapDelete("/reports/schedules/{id:guid}", Unschedule).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("Deletes a report schedule. Audited.");
        api.MapGet("/reports/{name}", Run).RequireAuthorization(Policies.Staff).WithTags("Reports")
            .WithSummary("A report (sales, revenue, consumption, arrears, offline, alerts, reconciliation) for from..to (local days in zone, default UTC; at most 366 days), grouped by groupBy where it takes one: columns and rows in JSON, or the same rows as CSV with format=csv.");
        api.MapGet("/welfare", Welfare).RequireAuthorization(Policies.Staff).WithTags("Welfare")
            .WithSummary("Households an operator may want to call on: out of credit for offDays (default 3) or more, disconnected for lack of credit four times or more in 30 days for under a day each, or using half what they did before a debt was loaded; each with its evidence.");
        api.MapPost("/welfare/outreach", Outreach).RequireAuthorization(Policies.Staff).WithTags("Welfare").Accepts<OutreachInput>("application/json")
            .WithSummary("Sends a household an offer of help: {customerId, message? (at most 600 characters; a default offer otherwise)} to their email and SMS channels through the alerts outbox, once a customer and day; audited. 202 with the channels; 404, 409 (sent today already), 422 (no channel).");
        api.MapGet("/welfare/self-disconnections", SelfDisconnections).RequireAuthorization(Policies.Staff).WithTags("Welfare")
            .WithSummary("Self-disconnections (supply off for lack of credit) per site and month from..to (YYYY-MM, UTC months, at most 36): how many, in how many households. CSV with format=csv.");
    }

    private static IResult List(ReportCatalogue catalogue) => TypedResults.Ok(catalogue.All.Select(ReportInfo.Of).ToList());

    private static async Task<IResult> Run(string name, string? from, string? to, string? zone, string? groupBy, string? format, HttpRequest request, ReportCatalogue catalogue, CancellationToken ct)
    {
        if (catalogue.Find(name) is not { } report)
        {
            return Problems.NotFound($"There is no report '{name}'; GET /api/v1/reports lists them.");
        }
        switch (ReportCatalogue.Parse(report, from, to, zone, groupBy))
        {
            case ReportRequestParse.Valid valid:
                var table = await report.RunAsync(valid.Request, ct);
                return WantsCsv(format, request) ? Csv(table) : TypedResults.Ok(ReportJson.Of(table));
            case ReportRequestParse.Invalid invalid:
                return Problems.Invalid(invalid.Parameter, invalid.Problem);
            default:
                throw new InvalidOperationException("a parse is valid or invalid");
        }
    }

    private static async Task<IResult> Schedules(ReportSchedules schedules, CancellationToken ct) => TypedResults.Ok(await schedules.ListAsync(ct));

    private static async Task<IResult> Schedule(HttpRequest request, ReportSchedules schedules, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<ScheduleInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await schedules.CreateAsync(body!, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName, ct) switch
        {
            ScheduleOutcome.Created created => TypedResults.Created($"/api/v1/reports/schedules/{created.Schedule.Id}", created.Schedule),
            ScheduleOutcome.Invalid invalid => Problems.Invalid(invalid.Parameter, invalid.Problem),
            var other => throw new InvalidOperationException($"unexpected {other}"),
        };
    }

    private static async Task<IResult> Unschedule(Guid id, HttpRequest request, ReportSchedules schedules, CancellationToken ct) =>
        await schedules.DeleteAsync(id, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName, ct)
            ? TypedResults.NoContent()
            : Problems.NotFound($"There is no report schedule {id}.");

    private static async Task<IResult> Welfare(int? offDays, WelfareSignals signals, CancellationToken ct) =>
        offDays is < 1 or > 365
            ? Problems.Invalid("offDays", "must be 1 to 365")
            : TypedResults.Ok(await signals.ListAsync(offDays ?? 3, ct));

    private static async Task<IResult> Outreach(HttpRequest request, WelfareOutreach outreach, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<OutreachInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await outreach.SendAsync(body!, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName, ct) switch
        {
            OutreachOutcome.Queued q => TypedResults.Accepted((string?)null, new { customerId = body!.CustomerId, channels = q.Channels }),
            OutreachOutcome.CustomerNotFound => Problems.NotFound($"There is no customer {body!.CustomerId}."),
            OutreachOutcome.AlreadySentToday => Problems.Conflict("outreach-sent-today", "An outreach message went to this customer today already."),
            OutreachOutcome.NoChannel => Problems.Unprocessable("no-channel", "The customer has no email address or phone to reach them by."),
            OutreachOutcome.Invalid i => Problems.Invalid(i.Field, i.Problem),
            var other => throw new InvalidOperationException($"unexpected {other}"),
        };
    }

    private static async Task<IResult> SelfDisconnections(string? from, string? to, string? format, HttpRequest request, WelfareSignals signals, IClock clock, CancellationToken ct)
    {
        var pattern = YearMonthPattern.Iso;
        if (!pattern.Parse(from ?? "").TryGetValue(default, out var first) || !pattern.Parse(to ?? "").TryGetValue(default, out var last)
            || last.CompareTo(first) < 0 || (last.Year - first.Year) * 12 + last.Month - first.Month >= 36)
        {
            return Problems.Invalid("from", "from and to are required months (YYYY-MM), from not after to, at most 36 months");
        }
        var counts = await signals.SelfDisconnectionsAsync(first, last, ct);
        return WantsCsv(format, request) ? Csv(SelfDisconnectionsTable.Of(counts, first, last, clock.GetCurrentInstant())) : TypedResults.Ok(counts);
    }

    private static async Task<IResult> Reconcile(string? from, string? to, string? zone, string? format, HttpRequest request, PeriodReconciliation reconciliation, ReportCatalogue catalogue, CancellationToken ct)
    {
        if (ReportCatalogue.Parse(catalogue.Find(ReconciliationTable.ReportName)!, from, to, zone, null) is not ReportRequestParse.Valid valid)
        {
            return Problems.Invalid("from", "from and to are required dates (YYYY-MM-DD), from not after to, at most 366 days; zone an IANA time zone");
        }
        var report = await reconciliation.RunAsync(new Interval(valid.Request.Start, valid.Request.End), ct);
        return WantsCsv(format, request) ? Csv(ReconciliationCsv.Table(report, valid.Request)) : TypedResults.Ok(report);
    }

    private static IResult Csv(ReportTable table) => TypedResults.Text(ReportCsv.Write(table), ReportCsv.ContentType);

    private static bool WantsCsv(string? format, HttpRequest request) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase));
}
