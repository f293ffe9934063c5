using Prepay.Domain.Money;
using Prepay.Tariffs.Rates;

namespace Prepay.Tariffs.Debt;

/// <summary>Take <see cref="Percent"/> of every purchase towards old debt, at most <see cref="MonthlyCap"/> per calendar month.</summary>
public sealed record DebtRecoveryRule(Percentage Percent, Money? MonthlyCap);
