using NodaTime;
using Prepay.Storage.Records.Payments;

namespace Prepay.Payments.Providers;

/// <summary>
/// A card or mobile-money provider as Prepay sees it: where to send the payer's browser to pay, and how to tell a
/// genuine callback from the provider from anything else. What happens on the provider's side is its own business.
/// </summary>
public interface IPaymentProvider
{
    /// <summary>Lower-case name used in routes and stored with sessions and callbacks, e.g. <c>sandbox</c>.</summary>
    string Name { get; }

    /// <summary>How people see it on the pages, e.g. "Sandbox card or mobile money (test payments)".</summary>
    string DisplayName { get; }

    /// <summary>The provider's checkout page for this session.</summary>
    string CheckoutAddress(PaymentSession session);

    /// <summary>
    /// Checks a callback's signature and timestamp (against <paramref name="now"/>) and reads it. Only a
    /// <see cref="CallbackCheck.Valid"/> callback may change anything.
    /// </summary>
    CallbackCheck Check(Func<string, string?> header, string body, Instant now);
}

/// <summary>A callback as the provider means it, once its signature and time were checked.</summary>
/// <param name="CallbackId">The provider's unique id of this notification: the replay guard's key.</param>
/// <param name="PaymentId">The provider's id of the payment: the vend's idempotency key is made from it.</param>
/// <param name="Amount">The amount taken, as a decimal string in the currency's major unit.</param>
public sealed record ProviderCallback(string CallbackId, Guid SessionId, string PaymentId, bool Approved, string Amount, string Currency, string? Method);

public abstract record CallbackCheck
{
    public sealed record Valid(ProviderCallback Callback, Instant SignedAt) : CallbackCheck;

    /// <param name="Code">bad-signature, stale-callback or malformed-callback.</param>
    public sealed record Refused(string Code, string Detail) : CallbackCheck;
}
