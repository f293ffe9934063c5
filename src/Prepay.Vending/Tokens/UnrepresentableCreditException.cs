namespace Prepay.Vending.Tokens;

/// <summary>
/// The energy of a sale cannot be carried by one STS credit token exactly (IEC 62055-41 §6.3.5: above 1 638.3 kWh
/// the amount has steps of 1, 10 or 100 kWh). The vend is refused and nothing is written.
/// </summary>
public sealed class UnrepresentableCreditException(string message) : Exception(message);
