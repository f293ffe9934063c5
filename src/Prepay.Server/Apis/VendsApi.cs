using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;
using Prepay.Server.Apis.Catalog;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage;
using Prepay.Vending.Contracts;
using Prepay.Vending.FreeBasic;
using Prepay.Vending.Reversals;
using Prepay.Vending.Vends;

namespace Prepay.Server.Apis;

/// <summary>Selling: vend, reprint, list, reverse.</summary>
public static class VendsApi
{
    public static RouteGroupBuilder MapVendsApi(this RouteGroupBuilder api)
    {
        var vends = api.MapGroup("/vends").WithTags("Vends");
        vends.MapPost("/", Create)
            .RequireAuthorization(Policies.Sellers)
            .Accepts<VendRequest>("application/json")
            .WithSummary("Sell credit to a meter, by meter number or by site and unit. Requires an Idempotency-Key header.");
        vends.MapPost("/free-basic", FreeBasic)
            .RequireAuthorization(Policies.Sellers)
            .Accepts<FreeBasicRequest>("application/json")
            .WithSummary("Issue this month's free basic electricity to a registered indigent customer's meter: a zero-value vend, once a month.");
        vends.MapGet("/{id:guid}", Reprint).RequireAuthorization(Policies.Anyone).WithSummary("Reprint a vend: the identical response, token and receipt.");
        vends.MapGet("/", List).RequireAuthorization(Policies.Anyone).WithSummary("List vends, newest first.");
        vends.MapPost("/{id:guid}/reversal", Reverse)
            .RequireAuthorization(Policies.Staff)
            .Accepts<ReversalRequest>("application/json")
            .WithSummary("Reverse a vend within the reversal window with a compensating ledger transaction: a smart meter's at once (201), a token vend's when a second person approves it (202 with the request), a vend paid online only by refunding its payment (409).");
        return api;
    }

    private static async Task<IResult> Create(
        HttpRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        VendingService vending,
        CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<VendRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var (command, errors) = VendCommand.From(idempotencyKey, body, vending.MaxAmountMinor);
        if (command is null)
        {
            return Problems.Invalid(errors);
        }
        var outcome = await vending.VendAsync(command, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct);
        return outcome switch
        {
            VendOutcome.Created { Json: { } json } c => CreatedAsStored(request.HttpContext, c.Vend.Id, json),
            VendOutcome.Created c => TypedResults.Created($"/api/v1/vends/{c.Vend.Id}", c.Vend),
            VendOutcome.Replayed { Json: { } json } r => ReplayedAsStored(request.HttpContext, r.Vend.Id, json),
            VendOutcome.Replayed r => Replayed(request.HttpContext, r.Vend),
            VendOutcome.Invalid i => Problems.Invalid(i.Errors),
            VendOutcome.NotFound n => Problems.NotFound(n.Detail),
            VendOutcome.KeyReused => Problems.Unprocessable("idempotency-key-reused",
                "This Idempotency-Key was used before for a different request. Use a new key for a new vend."),
            VendOutcome.Unprocessable u => Problems.Unprocessable(u.Code, u.Detail),
            VendOutcome.Conflict c => Problems.Conflict(c.Code, c.Detail),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
        };
    }

    private static async Task<IResult> FreeBasic(HttpRequest request, FreeBasicService freeBasic, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<FreeBasicRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }
        if (!Domain.Metering.MeterNumber.TryParse(body!.MeterNumber, out var number))
        {
            return Problems.Invalid("meterNumber", "is required: the meter's number");
        }
        return await freeBasic.IssueAsync(number, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct) switch
        {
            VendOutcome.Created c => TypedResults.Created($"/api/v1/vends/{c.Vend.Id}", c.Vend),
            VendOutcome.Replayed r => Replayed(request.HttpContext, r.Vend),
            VendOutcome.NotFound n => Problems.NotFound(n.Detail),
            VendOutcome.Unprocessable u => Problems.Unprocessable(u.Code, u.Detail),
            var other => throw new InvalidOperationException($"Unhandled outcome {other}"),
        };
    }

    /// <summary>
    /// 201 with the vend's JSON as the vend stored it: the same bytes the serialiser would write for the response
    /// (web defaults; the API's extra converters change nothing a vend holds), without serialising it again.
    /// </summary>
    private static IResult CreatedAsStored(HttpContext context, Guid id, string json)
    {
        context.Response.Headers.Location = $"/api/v1/vends/{id}";
        return TypedResults.Text(json, "application/json", System.Text.Encoding.UTF8, StatusCodes.Status201Created);
    }

    private static IResult ReplayedAsStored(HttpContext context, Guid id, string json)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return CreatedAsStored(context, id, json);
    }

    /// <summary>A retry gets what the first request got, marked so a client can tell if it cares.</summary>
    private static Created<VendResponse> Replayed(HttpContext context, VendResponse vend)
    {
        context.Response.Headers["Idempotent-Replayed"] = "true";
        return TypedResults.Created($"/api/v1/vends/{vend.Id}", vend);
    }

    private static async Task<Results<Ok<VendResponse>, ProblemHttpResult>> Reprint(Guid id, HttpContext context, PrepayDb db, IClock clock, CancellationToken ct)
    {
        var vend = await VendQueries.ReprintAsync(db, id, ApiKeyAuthentication.ActorOf(context.User), ct);
        if (vend is null)
        {
            return Problems.NotFound($"No vend {id}.");
        }
        if (vend.Token is not null || vend.KeyChangeTokens is { Count: > 0 })
        {
            Audit.TokenRead(db, context, clock, "reprint", [(vend.Id, vend.MeterNumber)]);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(vend);
    }

    private static async Task<Results<Ok<IReadOnlyList<VendSummary>>, ValidationProblem>> List(
        HttpContext context, PrepayDb db, IClock clock, string? meterNumber, string? from, string? to, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var f = ParseInstant(from, "from", errors);
        var t = ParseInstant(to, "to", errors);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var vends = await VendQueries.ListAsync(db, meterNumber, f, t, limit ?? 100, ApiKeyAuthentication.ActorOf(context.User), ct);
        if (vends.Any(v => v.Token is not null))
        {
            Audit.TokenRead(db, context, clock, "list", vends.Where(v => v.Token is not null).Select(v => (v.Id, v.MeterNumber)));
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(vends);
    }

    internal static Instant? ParseInstant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var parsed = InstantPattern.ExtendedIso.Parse(text);
        if (parsed.Success)
        {
            return parsed.Value;
        }
        var offset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (offset.Success)
        {
            return offset.Value.ToInstant();
        }
        errors[field] = ["must be an ISO-8601 instant such as 2026-11-23T10:00:00Z"];
        return null;
    }

    private static async Task<IResult> Reverse(Guid id, HttpRequest request, ReversalService reversals, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<ReversalRequest>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var outcome = await reversals.ReverseAsync(id, body!.Reason, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct);
        return outcome switch
        {
            ReversalOutcome.Reversed r => TypedResults.Created($"/api/v1/vends/{id}/reversal", r.Reversal),
            ReversalOutcome.AlreadyReversed a => TypedResults.Ok(a.Reversal),
            ReversalOutcome.ApprovalRequested p => TypedResults.Accepted($"/api/v1/approvals/{p.Approval.Id}", p.Approval),
            ReversalOutcome.NotFound => Problems.NotFound($"No vend {id}."),
            ReversalOutcome.Invalid i => Problems.Invalid(i.Errors),
            ReversalOutcome.Conflict c => Problems.Conflict(c.Code, c.Detail),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
        };
    }
}
