using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Prepay.Disconnections.Gate;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records.Policies;

namespace Prepay.Server.Apis;

public sealed record DisconnectionDecisionDto(
    Guid Id, string Meter, Instant At, string Reason, string Verdict, string Rule, string Sentence, string Policy, int PolicyVersion,
    Instant? NextAllowedAt, string State, Instant? RetryAt, string? Command, Guid? CommandId, string RequestedBy,
    Guid? OverridesDecision, Guid? Approval, string? Note)
{
    public static DisconnectionDecisionDto From(DisconnectionDecisionRecord d) => new(
        d.Id, d.MeterNumber, d.At, d.Reason, d.Verdict.ToString().ToLowerInvariant(), d.Rule, d.Sentence, d.PolicyCode, d.PolicyVersion,
        d.NextAllowedAt, d.State.ToString().ToLowerInvariant(), d.RetryAt, d.CommandType, d.CommandId, d.RequestedBy,
        d.OverridesDecisionId, d.ApprovalId, d.Note);
}

public sealed record OverrideInput(string? Reason);

/// <summary>
/// What the disconnection gate decided for a meter, and an administrator's request to override a refusal (approved
/// by a second administrator under <c>/approvals</c>).
/// </summary>
public static class DisconnectionDecisionsApi
{
    public static void MapDisconnectionDecisionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/meters/{meterNumber}/disconnection-decisions", List).RequireAuthorization(Policies.Staff).WithTags("Disconnection policies")
            .WithSummary("Every disconnection the gate allowed, held, refused or saw overridden for this meter, newest first, with the rule that decided.");
        api.MapPost("/disconnection-decisions/{id:guid}/override", Override).RequireAuthorization(Policies.Admin).WithTags("Disconnection policies")
            .Accepts<OverrideInput>("application/json")
            .WithSummary("Ask to send a held or refused disconnection anyway, with a reason: a second administrator approves it under /approvals.");
    }

    /// <summary>
    /// A disconnection the policy did not let through, as problem details (409): the rule, the customer's sentence,
    /// the decision's id (to override it), and, when held, the instant it is asked again.
    /// </summary>
    public static ProblemHttpResult NotSent(DisconnectionDecisionRecord d)
    {
        var held = d.State == DecisionState.Held;
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = Problems.Type(held ? "disconnection-held" : "disconnection-refused"),
            Title = held ? "Disconnection held by the policy" : "Disconnection refused by the policy",
            Detail = held
                ? $"Not sent: {d.PolicyCode} refuses it now ({d.Rule}); it is kept and sent at {d.RetryAt} if the policy allows it then. {d.Sentence}"
                : $"Not sent, and not retried: {d.PolicyCode} refuses it ({d.Rule}); only an approved override sends it. {d.Sentence}",
        };
        problem.Extensions["rule"] = d.Rule;
        problem.Extensions["decision"] = d.Id;
        problem.Extensions["policy"] = d.PolicyCode;
        problem.Extensions["policyVersion"] = d.PolicyVersion;
        problem.Extensions["sentence"] = d.Sentence;
        problem.Extensions["retryAt"] = d.RetryAt?.ToString();
        return TypedResults.Problem(problem);
    }

    private static async Task<IResult> List(string meterNumber, int? limit, PrepayDb db, CancellationToken ct) =>
        await DisconnectionDecisions.ForMeterAsync(db, meterNumber, Math.Clamp(limit ?? 100, 1, 1000), ct) is { } rows
            ? TypedResults.Ok(rows.Select(DisconnectionDecisionDto.From).ToList())
            : Problems.NotFound($"No meter '{meterNumber}'.");

    private static async Task<IResult> Override(Guid id, HttpRequest request, DisconnectOverrides overrides, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<OverrideInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return ApprovalsApi.Result(await overrides.RequestAsync(id, body!.Reason, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct));
    }
}
