using Prepay.Alerts.Channels;

namespace Prepay.Payments.Providers;

/// <summary>
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, t + "." + body)&gt;</c>, the scheme card providers use for
/// their callbacks: the timestamp is signed with the body, so an old callback cannot be passed off as new, and the
/// comparison takes the same time whatever the signature. It is the scheme Prepay signs its own webhooks with, so
/// the one implementation (<see cref="WebhookSignature"/>) serves both.
/// </summary>
public static class CallbackSignature
{
    public static string Sign(string secret, long unixSeconds, string body) => WebhookSignature.Sign(secret, unixSeconds, body);

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/>; the signed time in <paramref name="unixSeconds"/>.</summary>
    public static bool Verify(string secret, string header, string body, out long unixSeconds) =>
        WebhookSignature.Verify(secret, header, body, out unixSeconds);
}
