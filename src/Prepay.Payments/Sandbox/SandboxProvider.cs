using System.Text.Json;
using NodaTime;
using Prepay.Payments.Providers;
using Prepay.Payments.Refunds;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Sandbox;

/// <summary>
/// Prepay's side of the sandbox provider: its checkout page is <c>/sandbox/checkout/{session}</c>, and its
/// callbacks are trusted only when their HMAC signature is good and their signed time is within the tolerance.
/// Refunds go to the sandbox's refund desk (<see cref="SandboxRefunds"/>) with the refund id as idempotency key.
/// </summary>
public sealed class SandboxProvider(SandboxSecret secret, SandboxOptions options, SandboxRefunds refunds) : IPaymentProvider, IRefundingProvider
{
    public const string ProviderName = "sandbox";
    public const string SignatureHeader = "Sandbox-Signature";

    /// <summary>Longest callback and payment id taken: the vend's key is made from the payment id and must stay within 100 characters.</summary>
    public const int MaxIdLength = 80;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip };

    public string Name => ProviderName;

    public string DisplayName => "Sandbox checkout (test card or mobile money, no real money)";

    public string CheckoutAddress(PaymentSession session) => $"/sandbox/checkout/{session.Id:D}";

    public Task<RefundAnswer> RefundAsync(RefundOrder order, CancellationToken ct) =>
        refunds.RefundAsync(order.RefundId.ToString("N"), order.ProviderPaymentId, order.Amount, ct);

    public CallbackCheck Check(Func<string, string?> header, string body, Instant now)
    {
        if (header(SignatureHeader) is not { Length: > 0 } signature)
        {
            return new CallbackCheck.Refused("bad-signature", $"The {SignatureHeader} header is missing.");
        }
        if (!CallbackSignature.Verify(secret.Value, signature, body, out var seconds))
        {
            return new CallbackCheck.Refused("bad-signature", "The signature does not match the body.");
        }
        var tolerance = Duration.FromTimeSpan(options.TimestampTolerance);
        var signedAt = seconds <= Instant.MaxValue.ToUnixTimeSeconds() ? Instant.FromUnixTimeSeconds(seconds) : Instant.MaxValue;
        if (signedAt < now - tolerance || signedAt > now + tolerance)
        {
            return new CallbackCheck.Refused("stale-callback",
                $"The callback was signed at {signedAt}; only callbacks signed within {options.TimestampTolerance.TotalMinutes:0} minutes of now are taken.");
        }
        SandboxCallbackBody? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<SandboxCallbackBody>(body, Json);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (parsed is not { Id: { } id, SessionId: { } sessionId, PaymentId: { } paymentId, Amount: { } amount, Currency: { } currency }
            || !IsId(id) || !IsId(paymentId) || parsed.Type is not (SandboxCallbackBody.Approved or SandboxCallbackBody.Declined))
        {
            return new CallbackCheck.Refused("malformed-callback", "The callback needs id, type (payment.approved or payment.declined), sessionId, paymentId, amount and currency.");
        }
        var method = parsed.Method is { Length: > 0 and <= 60 } m ? m : null;
        return new CallbackCheck.Valid(new ProviderCallback(id, sessionId, paymentId, parsed.Type == SandboxCallbackBody.Approved, amount, currency, method), signedAt);
    }

    private static bool IsId(string s) => s.Length is > 0 and <= MaxIdLength && s.All(c => c is > ' ' and <= '~');
}
