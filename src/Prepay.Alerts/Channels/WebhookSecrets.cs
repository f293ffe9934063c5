using NodaTime;
using Prepay.Storage.Records.Alerts;

namespace Prepay.Alerts.Channels;

/// <summary>
/// A subscription's signing secrets: the current one always, and the one a rotation replaced until its overlap ends,
/// so that a receiver can move to the new secret at its own pace without refusing a delivery (Standard Webhooks
/// allows several signatures in <c>webhook-signature</c> for exactly this).
/// </summary>
public static class WebhookSecrets
{
    /// <summary>The secrets that sign a delivery at <paramref name="now"/>: the current first.</summary>
    public static IReadOnlyList<string> InForce(WebhookSubscription hook, Instant now)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return hook.PreviousSecret is { } previous && hook.PreviousSecretUntil is { } until && now < until
            ? [hook.Secret, previous]
            : [hook.Secret];
    }

    /// <summary>
    /// Issues a new secret; the current one keeps signing until <paramref name="now"/> + <paramref name="overlap"/>
    /// (not at all with a zero overlap). A secret rotated out earlier and still in its overlap is dropped: two at most.
    /// </summary>
    /// <returns>The new secret, to be shown once.</returns>
    public static string Rotate(WebhookSubscription hook, Instant now, Duration overlap)
    {
        ArgumentNullException.ThrowIfNull(hook);
        var fresh = WebhookSignature.NewSecret();
        (hook.PreviousSecret, hook.PreviousSecretUntil) = overlap > Duration.Zero ? (hook.Secret, now + overlap) : ((string?)null, (Instant?)null);
        hook.Secret = fresh;
        return fresh;
    }
}
