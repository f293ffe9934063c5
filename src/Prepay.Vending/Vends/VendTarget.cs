using Prepay.Domain.Metering;

namespace Prepay.Vending.Vends;

/// <summary>The meter a vend is for, where it is installed and whose account pays for it.</summary>
public sealed record VendTarget(Meter Meter, Guid CustomerId, string CustomerName, string? SiteCode, string? UnitLabel);
