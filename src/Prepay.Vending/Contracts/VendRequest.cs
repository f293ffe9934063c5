namespace Prepay.Vending.Contracts;

/// <summary>
/// The body of <c>POST /api/v1/vends</c>. Name the meter by <see cref="MeterNumber"/>, or by <see cref="Site"/> and
/// <see cref="Unit"/> (recharge by room number). <see cref="Amount"/> is a decimal string in major units ("100.00").
/// </summary>
public sealed record VendRequest(
    string? MeterNumber,
    string? Site,
    string? Unit,
    string? Amount,
    string? Currency,
    string? Channel,
    string? PaymentReference);
