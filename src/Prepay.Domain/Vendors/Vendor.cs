using NodaTime;

namespace Prepay.Domain.Vendors;

/// <summary>
/// Whoever takes the customer's money: a shop, the app, the web portal or a payment gateway.
/// It vends against a prepaid float (a ledger account) and earns a commission on each sale.
/// </summary>
public sealed class Vendor
{
    public Guid Id { get; init; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public VendorChannel Channel { get; set; }
    public required string Currency { get; set; }

    /// <summary>Commission in basis points of the amount sold (250 = 2.50 %), rounded down to a minor unit.</summary>
    public int CommissionBasisPoints { get; set; }

    public Instant CreatedAt { get; init; }
}

public enum VendorChannel
{
    Shop,
    App,
    Web,
    Gateway,
}
