using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Taxes;

/// <summary>
/// An ad valorem tax or levy. <see cref="Inclusive"/>: the tariff's prices already contain it, so it is
/// extracted from them. Otherwise it is added on top of the tariff's prices.
/// </summary>
public sealed record TaxRule(string Name, Percentage Rate, bool Inclusive);
