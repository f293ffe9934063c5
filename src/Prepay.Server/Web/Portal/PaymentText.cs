using Prepay.Storage.Records.Payments;

namespace Prepay.Server.Web.Portal;

/// <summary>A payment's state in words for the payer.</summary>
public static class PaymentText
{
    public static string Status(PaymentStatus status) => status switch
    {
        PaymentStatus.Pending => "waiting for the payment",
        PaymentStatus.Approved => "paid, the token is being made",
        PaymentStatus.Declined => "declined: nothing was charged",
        PaymentStatus.Vended => "paid and delivered",
        PaymentStatus.VendFailed => "paid, but the token could not be made: we will refund or deliver it",
        PaymentStatus.Refunded => "refunded: the token could not be made and the payment was given back",
        _ => status.ToString(),
    };
}
