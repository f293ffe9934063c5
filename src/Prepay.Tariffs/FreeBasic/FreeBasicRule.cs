using Prepay.Domain.Energy;

namespace Prepay.Tariffs.FreeBasic;

/// <summary>Free basic electricity: <see cref="MonthlyAllowance"/> issued free each calendar month to registered indigent customers.</summary>
public sealed record FreeBasicRule(Energy MonthlyAllowance);
