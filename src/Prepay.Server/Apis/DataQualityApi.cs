using NodaTime;
using NodaTime.Text;
using Prepay.HeadEnd.Quality;
using Prepay.MeterData;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;

namespace Prepay.Server.Apis;

/// <summary>The body of an operator's edit of one interval.</summary>
public sealed record ReadingEditInput(long? EnergyWh, long? RegisterWh, string? Reason);

/// <summary>An edited interval: what its energy was and is now.</summary>
public sealed record ReadingEditDto(Instant IntervalStart, long PreviousWh, long EnergyWh, string Quality);

/// <summary>Meter data quality for operators, and an admin's audited edit of one interval (Prepay.HeadEnd/Quality).</summary>
public static class DataQualityApi
{
    /// <summary>When no range is asked for: the last 7 days, a week of intervals.</summary>
    public static readonly Duration DefaultRange = Duration.FromDays(7);

    public static RouteGroupBuilder MapDataQualityApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/meters/{meterNumber}").WithTags("Meter data quality");
        g.MapGet("/data-quality", Read).RequireAuthorization(Policies.Staff)
            .WithSummary("Readings in (from, to] counted by quality and rule, and the estimated, edited and suspect intervals.");
        g.MapPost("/readings/{intervalStart}/edit", Edit).RequireAuthorization(Policies.Admin).Accepts<ReadingEditInput>("application/json")
            .WithSummary("Set one interval's energy (and register) with a reason; audited, and recorded as an adjustment for central credit.");
        return api;
    }

    private static async Task<IResult> Read(string meterNumber, string? from, string? to, PrepayDb db, VeeOptions options, IClock clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var t = VendsApi.ParseInstant(to, "to", errors) ?? clock.GetCurrentInstant();
        var f = VendsApi.ParseInstant(from, "from", errors) ?? t - DefaultRange;
        if (errors.Count == 0 && f >= t)
        {
            errors["from"] = ["must be before to"];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        return await DataQualityReport.ReadAsync(db, options, meterNumber, f, t, ct) switch
        {
            DataQualityReport.Outcome.Found found => TypedResults.Ok(found.Report),
            _ => Problems.NotFound($"No meter '{meterNumber}'."),
        };
    }

    private static async Task<IResult> Edit(string meterNumber, string intervalStart, HttpContext http, PrepayDb db, VeeOptions options, IClock clock, CancellationToken ct)
    {
        if (!InstantPattern.ExtendedIso.Parse(intervalStart).TryGetValue(default, out var start))
        {
            return Problems.Invalid("intervalStart", "must be an instant such as 2026-11-23T08:00:00Z");
        }
        var (input, error) = await JsonBody.ReadAsync<ReadingEditInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        var outcome = await ReadingEdits.EditAsync(db, clock, options, meterNumber, new ReadingEdit(start, input!.EnergyWh, input.RegisterWh, input.Reason),
            ApiKeyAuthentication.ActorOf(http.User).AuditName, ct);
        return outcome switch
        {
            ReadingEdits.Outcome.Edited e => TypedResults.Ok(new ReadingEditDto(start, e.PreviousWh, e.NewWh, "edited")),
            ReadingEdits.Outcome.Invalid i => Problems.Invalid(i.Field, i.Message),
            ReadingEdits.Outcome.NotFound n => Problems.NotFound(n.Detail),
            _ => throw new InvalidOperationException(outcome.ToString()),
        };
    }
}
