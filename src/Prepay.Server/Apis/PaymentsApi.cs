using Prepay.Payments.Callbacks;
using Prepay.Server.Http;

namespace Prepay.Server.Apis;

public sealed record CallbackReceipt(Guid SessionId, string Effect, string Status);

/// <summary>
/// Payment providers' server-to-server callbacks. No API key: a provider proves itself by its HMAC signature over
/// the signed time and the exact body, checked by the provider's <c>IPaymentProvider</c> before anything is read.
/// A callback accepted before answers 200 again (providers retry until they get a 2xx) and changes nothing.
/// </summary>
public static class PaymentsApi
{
    /// <summary>Callbacks are small JSON documents; anything larger is refused unread.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapPaymentsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/payments/callbacks/{provider}", Callback).WithTags("Payments").AllowAnonymous()
            .WithSummary("A payment provider's signed callback: approved or declined. Authenticated by its signature, replay-protected by its id.");
        return api;
    }

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
