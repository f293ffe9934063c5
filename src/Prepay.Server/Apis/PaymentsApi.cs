using Prepay.Payments.Callbacks;
using Microsoft.AspNetCore.Mvc;
using Prepay.Payments.Checkout;
using Prepay.Payments.Refunds;
using Prepay.Server.Auth;
using Prepay.Server.Http;
using Prepay.Storage.Records.Payments;

namespace Prepay.Server.Apis;

public sealed record CallbackReceipt(Guid SessionId, string Effect, string Status);

public sealed record RetryInput(string? Reason);

public sealed record RefundInput(string? Reason, string? RefundReference);

public sealed record RefundRequestInput(string? Reason);

/// <summary>
/// Payment providers' server-to-server callbacks. No API key: a provider proves itself by its HMAC signature over
/// the signed time and the exact body, checked by the provider's <c>IPaymentProvider</c> before anything is read.
/// A callback accepted before answers 200 again (providers retry until they get a 2xx) and changes nothing.
/// Staff (operator, admin) list payment sessions and follow up those paid but not vended: retry or mark refunded; and
/// ask for a vended payment to be refunded to its payer, which a second admin approves (money needs two people).
/// </summary>
public static class PaymentsApi
{
    /// <summary>Callbacks are small JSON documents; anything larger is refused unread.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapPaymentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/payments/callbacks/{provider}", Callback).WithTags("Payments").AllowAnonymous()
            .WithSummary("A payment provider's signed callback: approved or declined. Authenticated by its signature, replay-protected by its id.");
        var staff = api.MapGroup("/payments").WithTags("Payments").RequireAuthorization(Policies.Staff);
        staff.MapGet("/", List).Produces<IReadOnlyList<PaymentView>>()
            .WithSummary("Payment sessions, newest first; ?status=vendFailed lists those paid but not vended, for staff to follow up.");
        staff.MapGet("/{id:guid}", Get).Produces<PaymentView>().WithSummary("One payment session, with why its vend failed.");
        staff.MapPost("/{id:guid}/retry", Retry).Accepts<RetryInput>("application/json").Produces<PaymentView>()
            .WithSummary("Try the vend of a paid-but-not-vended payment again (after the cause is fixed), with a reason; it ends vended or failed again.");
        staff.MapPost("/{id:guid}/refund", Refund).Accepts<RefundInput>("application/json").Produces<PaymentView>()
            .WithSummary("Record that a paid-but-not-vended payment was refunded at the provider, with its refund reference and a reason.");
        staff.MapPost("/{id:guid}/refund-requests", RequestRefund).Accepts<RefundRequestInput>("application/json").Produces<Prepay.Vending.Approvals.ApprovalView>(StatusCodes.Status202Accepted)
            .WithSummary("Ask for a vended online payment to be refunded to its payer (202 with the request; requires an Idempotency-Key header). Another admin approves it at /approvals/{id}/approve: the vend is reversed, and the provider refunds the payment after that commits.");
        return api;
    }

    private const int MaxRows = 500;

    private static async Task<IResult> List(string? status, int? limit, PaidNotVended payments, CancellationToken ct)
    {
        PaymentStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<PaymentStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
            {
                return Problems.Invalid("status", $"One of {string.Join(", ", Enum.GetValues<PaymentStatus>().Select(PaidNotVended.Name))}.");
            }
            wanted = parsed;
        }
        return TypedResults.Ok(await payments.ListAsync(wanted, Math.Clamp(limit ?? 100, 1, MaxRows), ct));
    }

    private static async Task<IResult> Get(Guid id, PaidNotVended payments, CancellationToken ct) =>
        await payments.FindAsync(id, ct) is { } found ? TypedResults.Ok(found) : Problems.NotFound($"No payment {id}.");

    private static async Task<IResult> Retry(Guid id, HttpRequest request, PaidNotVended payments, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<RetryInput>(request, ct);
        return error ?? FollowUp(id, await payments.RetryAsync(id, body!.Reason, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct));
    }

    private static async Task<IResult> Refund(Guid id, HttpRequest request, PaidNotVended payments, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<RefundInput>(request, ct);
        return error ?? FollowUp(id, await payments.MarkRefundedAsync(id, body!.Reason, body.RefundReference, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct));
    }

    private static async Task<IResult> RequestRefund(Guid id, HttpRequest request, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        RefundRequests refunds, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<RefundRequestInput>(request, ct);
        if (error is not null)
        {
            return error;
        }
        var outcome = await refunds.RequestAsync(id, body!.Reason, idempotencyKey, ApiKeyAuthentication.ActorOf(request.HttpContext.User), ct);
        if (outcome is RefundRequestOutcome.Requested { Replayed: true })
        {
            request.HttpContext.Response.Headers["Idempotent-Replayed"] = "true";
        }
        return outcome switch
        {
            RefundRequestOutcome.Requested r => TypedResults.Accepted($"/api/v1/approvals/{r.Approval.Id}", r.Approval),
            RefundRequestOutcome.NotFound n => Problems.NotFound(n.Detail),
            RefundRequestOutcome.Invalid i => Problems.Invalid(i.Errors),
            RefundRequestOutcome.KeyReused => Problems.Unprocessable("idempotency-key-reused", "This Idempotency-Key was used before for a different refund request. Use a new key for a new request."),
            RefundRequestOutcome.Conflict c => Problems.Conflict(c.Code, c.Detail),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
        };
    }

    private static IResult FollowUp(Guid id, FollowUpOutcome outcome) => outcome switch
    {
        FollowUpOutcome.Done d => TypedResults.Ok(d.Payment),
        FollowUpOutcome.NotFound => Problems.NotFound($"No payment {id}."),
        FollowUpOutcome.WrongState w => Problems.Conflict("not-vend-failed", $"Payment {id} is {PaidNotVended.Name(w.Status)}: only a payment paid but not vended can be retried or marked refunded."),
        FollowUpOutcome.Invalid i => Problems.Invalid(i.Errors),
        _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
    };

    private static async Task<IResult> Callback(string provider, HttpContext http, CallbackService callbacks, CancellationToken ct)
    {
        if (http.Request.ContentLength is > MaxBodyBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "Body too large", $"A callback is at most {MaxBodyBytes} bytes.");
        }
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await http.Request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0)
        {
            length += read;
        }
        if (length > MaxBodyBytes)
        {
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "too-large", "Body too large", $"A callback is at most {MaxBodyBytes} bytes.");
        }
        var body = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        var outcome = await callbacks.HandleAsync(provider, name => http.Request.Headers[name].FirstOrDefault(), body, ct);
        return outcome switch
        {
            CallbackOutcome.Accepted a => TypedResults.Ok(new CallbackReceipt(a.SessionId, a.Effect, a.Status.ToString().ToLowerInvariant())),
            CallbackOutcome.Duplicate d => TypedResults.Ok(new CallbackReceipt(d.SessionId, "duplicate", "unchanged")),
            CallbackOutcome.Refused r => Problems.Of(r.Status, r.Code, r.Status switch
            {
                StatusCodes.Status401Unauthorized => "Callback not authentic",
                StatusCodes.Status404NotFound => "Not found",
                StatusCodes.Status400BadRequest => "Malformed callback",
                _ => "Callback refused",
            }, r.Detail),
            _ => throw new InvalidOperationException($"Unhandled outcome {outcome}"),
        };
    }
}
