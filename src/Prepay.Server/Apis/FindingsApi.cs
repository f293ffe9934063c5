using Prepay.Findings;
using Prepay.Server.Auth;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

public sealed record FindingStateInput(string? State, string? Reason);

/// <summary>
/// Revenue protection's findings (docs/revenue-protection.md): listed with filters, read with their evidence, moved
/// on by staff with a reason, and (administrators) made now rather than at the job's next round.
/// </summary>
public static class FindingsApi
{
    public static void MapFindingsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/findings", List).RequireAuthorization(Policies.Staff).WithTags("Revenue protection")
            .WithSummary("Findings, newest first; filters: kind, state (open, investigating, confirmed, dismissed), site, meter, limit (1-1000, default 100).");
        api.MapGet("/findings/{id:long}", Get).RequireAuthorization(Policies.Staff).WithTags("Revenue protection")
            .WithSummary("One finding with its evidence: the readings, events, sales and registrations behind it.");
        api.MapPost("/findings/{id:long}/state", Move).RequireAuthorization(Policies.Staff).WithTags("Revenue protection")
            .Accepts<FindingStateInput>("application/json")
            .WithSummary("Move a finding on, with a reason: open → investigating, confirmed or dismissed; investigating → confirmed or dismissed.");
        api.MapPost("/findings/run", Run).RequireAuthorization(Policies.Admin).WithTags("Revenue protection")
            .WithSummary("Run the detectors over every site now; answers what the run made.");
    }

    private static async Task<IResult> List(string? kind, string? state, string? site, string? meter, int? limit, FindingQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListAsync(new FindingFilter(kind, state, site, meter, limit ?? 100), ct));

    private static async Task<IResult> Get(long id, FindingQueries queries, CancellationToken ct) =>
        await queries.GetAsync(id, ct) is { } finding ? TypedResults.Ok(finding) : Problems.NotFound($"No finding {id}.");

    private static async Task<IResult> Move(long id, HttpRequest request, FindingStates states, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<FindingStateInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await states.MoveAsync(id, body!.State, body.Reason, ApiKeyAuthentication.ActorOf(request.HttpContext.User).AuditName, ct) switch
        {
            FindingMove.Moved m => TypedResults.Ok(m.Finding),
            FindingMove.NotFound n => Problems.NotFound(n.Detail),
            FindingMove.Invalid i => Problems.Invalid(i.Field, i.Problem),
            FindingMove.Conflict c => Problems.Conflict("finding-state", c.Detail),
            var other => throw new InvalidOperationException($"Unhandled {other}"),
        };
    }

    private static async Task<IResult> Run(FindingsRun run, CancellationToken ct) => TypedResults.Ok(await run.RunAsync(ct));
}
