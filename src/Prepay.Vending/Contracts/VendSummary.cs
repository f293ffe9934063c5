namespace Prepay.Vending.Contracts;

/// <summary>A line in a vend listing.</summary>
public sealed record VendSummary(Guid Id, string Kind, string MeterNumber, string Amount, string Currency, long EnergyWh, string? Token, string At, string VendorCode, bool Reversed);

/// <summary>The body of <c>POST /api/v1/vends/{id}/reversal</c>.</summary>
public sealed record ReversalRequest(string? Reason);

public sealed record ReversalResponse(Guid VendId, Guid TransactionId, string Reason, string By, string At, string Amount, string Currency);

/// <summary>The body of <c>POST /api/v1/vends/free-basic</c>.</summary>
public sealed record FreeBasicRequest(string? MeterNumber);
