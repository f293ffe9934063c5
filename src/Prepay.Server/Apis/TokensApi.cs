using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Prepay.Disconnections.Gate;
using Prepay.Server.Apis.Catalog;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Storage.Records;
using Prepay.Vending.Tokens;

namespace Prepay.Server.Apis;

/// <summary>Operators' STS tokens: management tokens (clear credit, clear tamper, power limit...) and key changes.</summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var meters = api.MapGroup("/meters/{meterNumber}").WithTags("Tokens");
        meters.MapPost("/tokens", Issue)
            .RequireAuthorization(Policies.Staff)
            .Accepts<ManagementTokenInput>("application/json")
            .Produces<ManagementTokenIssued>(StatusCodes.Status201Created)
            .WithSummary("Issue a management token (clearCredit, clearTamper, setMaximumPowerLimit, ...) with a reason for the audit log. Requires an Idempotency-Key header: a retry gets the same token (200).");
        meters.MapGet("/tokens", List)
            .RequireAuthorization(Policies.Staff)
            .Produces<IReadOnlyList<ManagementTokenIssued>>()
            .WithSummary("The management tokens issued for the meter, newest first, to show one again.");
        meters.MapPost("/key-change", OrderKeyChange)
            .RequireAuthorization(Policies.Staff)
            .Accepts<KeyChangeInput>("application/json")
            .Produces<KeyChangePending>(StatusCodes.Status202Accepted)
            .WithSummary("Move the meter to another key revision or base date: its key change tokens come with its next vend or management token.");
        return api;
    }

    private const int MaxRows = 500;

    private static async Task<IResult> Issue(string meterNumber, HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? key,
        GatedManagementTokens service, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<ManagementTokenInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return await service.IssueAsync(meterNumber, body!, key, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct) switch
        {
            GatedManagementTokens.Outcome.Token t => Result(t.Result),
            GatedManagementTokens.Outcome.Refused r => DisconnectionDecisionsApi.NotSent(r.Decision),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }

    private static async Task<IResult> List(string meterNumber, int? limit, HttpContext http, PrepayDb db, IClock clock, CancellationToken ct)
    {
        if (!await db.Meters.AnyAsync(m => m.MeterNumber == meterNumber, ct))
        {
            return Problems.NotFound($"No meter '{meterNumber}'.");
        }
        var tokens = await ManagementTokenService.ListAsync(db, meterNumber, Math.Clamp(limit ?? 100, 1, MaxRows), ct);
        if (tokens.Count > 0)
        {
            Audit.Record(db, http, clock, AuditActions.TokenRead, $"meter/{meterNumber}", $"management tokens: {tokens.Count}");
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(tokens);
    }

    private static async Task<IResult> OrderKeyChange(string meterNumber, HttpRequest request, PrepayDb db, KeyChangeService service, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<KeyChangeInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        return Result(await service.RequestAsync(db, meterNumber, body!, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct));
    }

    private static IResult Result(TokenOutcome outcome) => outcome switch
    {
        TokenOutcome.Issued { Replayed: true } i => TypedResults.Ok(i.Token),
        TokenOutcome.Issued i => TypedResults.Created($"/api/v1/meters/{i.Token.MeterNumber}/tokens", i.Token),
        TokenOutcome.KeyReused => Problems.Unprocessable("idempotency-key-reused", "This Idempotency-Key was used for a different token request."),
        TokenOutcome.KeyChangeRecorded k => TypedResults.Accepted($"/api/v1/meters/{k.KeyChange.MeterNumber}", k.KeyChange),
        TokenOutcome.Invalid i => Problems.Invalid(i.Errors),
        TokenOutcome.NotFound n => Problems.NotFound(n.Detail),
        TokenOutcome.Unprocessable u => Problems.Unprocessable(u.Code, u.Detail),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
    };
}
