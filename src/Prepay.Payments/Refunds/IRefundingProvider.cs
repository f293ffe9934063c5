using Prepay.Domain.Money;

namespace Prepay.Payments.Refunds;

/// <summary>
/// A payment provider that can give a payment back. Prepay calls it only after the refund's approval committed, and
/// may call it more than once for one refund (a retry, a server that died before recording the answer): the
/// provider must treat <see cref="RefundOrder.RefundId"/> as its idempotency key and pay at most once per key.
/// </summary>
public interface IRefundingProvider
{
    /// <summary>The provider's name, as on its payment sessions (<c>sandbox</c>).</summary>
    string Name { get; }

    Task<RefundAnswer> RefundAsync(RefundOrder order, CancellationToken ct);
}

/// <param name="RefundId">Prepay's id of the refund: the provider's idempotency key.</param>
/// <param name="ProviderPaymentId">The provider's id of the payment to give back.</param>
public sealed record RefundOrder(Guid RefundId, string ProviderPaymentId, Money Amount);

public abstract record RefundAnswer
{
    /// <summary>Paid back to the payer; <see cref="Reference"/> is the provider's id of the refund.</summary>
    public sealed record Refunded(string Reference) : RefundAnswer;

    /// <summary>The provider will not refund this (unknown payment, more than was paid): asking again changes nothing.</summary>
    public sealed record Refused(string Reason) : RefundAnswer;

    /// <summary>Not done this time (the provider is down, its processor failed): asked again after a back-off.</summary>
    public sealed record Unavailable(string Reason) : RefundAnswer;
}
