namespace Prepay.Vending.Contracts;

/// <summary>
/// A vend as the client sees it and a receipt prints it. Money as decimal strings, energy in Wh.
/// <see cref="KeyChangeTokens"/> is present only when the meter's key changed with this vend: the customer enters
/// those tokens first, in order, then the credit tokens. <see cref="Tokens"/> lists every credit token in the order
/// to enter them (one, or two for a sale above 1 638.3 kWh: see <c>CreditSplit</c>); <see cref="Token"/> and
/// <see cref="TokenId"/> are the first of them.
/// </summary>
public sealed record VendResponse(
    Guid Id,
    string Kind,
    string MeterNumber,
    string MeterMode,
    string Amount,
    string Currency,
    long EnergyWh,
    string EnergyKwh,
    string? Token,
    long TokenId,
    VendBreakdown Breakdown,
    VendReceipt Receipt,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? KeyChangeTokens = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<VendToken>? Tokens = null);

/// <summary>One credit token of a vend and the energy it carries.</summary>
public sealed record VendToken(string Token, long TokenId, long EnergyWh, string EnergyKwh);

/// <summary>
/// Where the money went. Always: amount + carriedIn = sum(taxes) + fixedCharges + debtRecovered + energyCost + carriedOut.
/// </summary>
public sealed record VendBreakdown(
    string Gross,
    string CarriedIn,
    IReadOnlyList<VendTaxLine> Taxes,
    string FixedCharges,
    string DebtRecovered,
    string NetForEnergy,
    string EnergyCost,
    string CarriedOut,
    IReadOnlyList<VendEnergyLine> Lines,
    bool EnergyIsEstimate);

public sealed record VendTaxLine(string Name, string Amount);

/// <summary>Energy bought at one rate (one block, or one time-of-use period's estimate).</summary>
public sealed record VendEnergyLine(string Description, long EnergyWh, string RatePerKwh, string Cost);

/// <summary>What a receipt shows besides the money.</summary>
public sealed record VendReceipt(
    string CustomerName,
    string? Site,
    string? Unit,
    string VendorCode,
    string VendorName,
    string Channel,
    string? PaymentReference,
    string At,
    string TariffCode,
    int TariffVersion,
    string ReceiptNumber);
