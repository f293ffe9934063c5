using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Prepay.Policy.Documents;
using Prepay.Policy.Presets;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Disconnections;
using Prepay.Disconnections.Policies;
using Prepay.Storage;

namespace Prepay.Server.Apis;

/// <summary>
/// Disconnection policies are versioned documents (Prepay.Policy), like tariffs: admins publish a new version and
/// assign a policy to a site or a customer; operators read them and ask whether a meter may be cut at an instant.
/// </summary>
public static class DisconnectionPoliciesApi
{
    public static void MapDisconnectionPoliciesApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/disconnection-policies").WithTags("Disconnection policies");
        g.MapGet("/", List).RequireAuthorization(Policies.Staff).WithSummary("The latest version of every published policy.");
        g.MapGet("/presets", (Func<IResult>)(() => TypedResults.Ok(PolicyPresets.Codes))).RequireAuthorization(Policies.Staff)
            .WithSummary("The codes of the policies shipped with Prepay.");
        g.MapGet("/presets/{code}", Preset).RequireAuthorization(Policies.Staff).WithSummary("A shipped policy's document, ready to publish.");
        g.MapGet("/{code}", Versions).RequireAuthorization(Policies.Staff);
        g.MapGet("/{code}/versions/{version:int}", Document).RequireAuthorization(Policies.Staff);
        g.MapPost("/", Publish).RequireAuthorization(Policies.Admin).Accepts<object>("application/json")
            .WithSummary("Publish a policy document (a new version). A problem is answered with its JSON path; nothing is written.");
        g.MapPost("/assignments", Assign).RequireAuthorization(Policies.Admin).Accepts<PolicyAssignmentInput>("application/json")
            .WithSummary("Assign a published policy to a site or a customer from an instant.");
        api.MapGet("/meters/{meterNumber}/disconnection-decision", Preview).RequireAuthorization(Policies.Staff).WithTags("Disconnection policies")
            .WithSummary("May this meter be disconnected at 'at' for 'reason'? The rule that decides, a sentence for the customer and the next allowed instant. Nothing is written.");
    }

    private static async Task<IResult> List(PrepayDb db, CancellationToken ct) => TypedResults.Ok(await PolicyCatalog.LatestAsync(db, ct));

    private static async Task<IResult> Versions(string code, PrepayDb db, CancellationToken ct) =>
        await PolicyCatalog.VersionsAsync(db, code, ct) is { Count: > 0 } rows ? TypedResults.Ok(rows) : Problems.NotFound($"No policy '{code}'.");

    private static async Task<IResult> Document(string code, int version, PrepayDb db, CancellationToken ct) =>
        await PolicyCatalog.DocumentAsync(db, code, version, ct) is { } document
            ? TypedResults.Text(document, "application/json", Encoding.UTF8)
            : Problems.NotFound($"No version {version} of policy '{code}'.");

    private static IResult Preset(string code) =>
        PolicyPresets.Codes.Contains(code)
            ? TypedResults.Text(PolicyPresets.Json(code), "application/json", Encoding.UTF8)
            : Problems.NotFound($"No preset '{code}' (known: {string.Join(", ", PolicyPresets.Codes)}).");

    private static async Task<IResult> Publish(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "Send the policy document as application/json.");
        }
        string text;
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large", "The policy document is larger than this server accepts.");
        }
        return await PolicyPublication.PublishAsync(db, clock, text, ApiKeyAuthentication.ActorOf(http.User).AuditName, ct) switch
        {
            PolicyPublication.Outcome.Published p => TypedResults.Created($"/api/v1/disconnection-policies/{p.Policy.Code}/versions/{p.Policy.Version}", p.Policy),
            PolicyPublication.Outcome.Invalid i => TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { [i.Path] = [i.Problem] },
                detail: $"{i.Path}: {i.Problem}", title: "The policy document is invalid", type: Problems.Type("invalid-policy")),
            PolicyPublication.Outcome.VersionExists v => Problems.Conflict("version-exists", v.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }

    private static async Task<IResult> Assign(HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var (input, error) = await JsonBody.ReadAsync<PolicyAssignmentInput>(http.Request, ct);
        if (error is not null)
        {
            return error;
        }
        return await PolicyAssignments.AssignAsync(db, clock, input!, ApiKeyAuthentication.ActorOf(http.User).AuditName, ct) switch
        {
            PolicyAssignments.Outcome.Assigned a => TypedResults.Ok(a.Assignment),
            PolicyAssignments.Outcome.Invalid i => Problems.Invalid(i.Field, i.Problem),
            PolicyAssignments.Outcome.NotFound n => Problems.NotFound(n.Detail),
            PolicyAssignments.Outcome.AlreadyAssigned c => Problems.Conflict("already-assigned", c.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }

    private static async Task<IResult> Preview(string meterNumber, string? at, string? reason, PrepayDb db, IClock clock, DisconnectionPreview preview, CancellationToken ct)
    {
        var instant = clock.GetCurrentInstant();
        if (at is not null)
        {
            var parsed = InstantPattern.ExtendedIso.Parse(at);
            // Holiday calendars and windows are dates: keep the walk well inside the calendar NodaTime can count.
            if (!parsed.Success || parsed.Value.InUtc().Year is < 1900 or > 9000)
            {
                return Problems.Invalid("at", "must be an instant such as 2027-01-26T06:30:00Z, in the years 1900 to 9000");
            }
            instant = parsed.Value;
        }
        var why = Policy.Decisions.DisconnectionReason.CreditExhausted;
        if (reason is not null && !ReasonNames.TryParse(reason, out why))
        {
            return Problems.Invalid("reason", $"must be one of {string.Join(", ", ReasonNames.Names)}");
        }
        return await preview.DecideAsync(db, meterNumber, instant, why, ct) switch
        {
            DisconnectionPreview.Outcome.Decided d => TypedResults.Ok(d.Decision),
            DisconnectionPreview.Outcome.MeterNotFound n => Problems.NotFound(n.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }
}
