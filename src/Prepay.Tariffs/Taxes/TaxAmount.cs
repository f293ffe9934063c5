using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Taxes;

/// <summary>One tax line of a quote.</summary>
public sealed record TaxAmount(string Name, Percentage Rate, bool Inclusive, Money Amount);
