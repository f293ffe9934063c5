using NodaTime;

namespace Prepay.Meter.Credit;

/// <summary>
/// A change of <see cref="CreditMode"/> a <see cref="Commands.SetCreditMode"/> scheduled: to <paramref name="Mode"/> at the
/// reading-interval boundary <paramref name="At"/>, a meter taking its credit back starting from <paramref name="CreditWh"/>.
/// </summary>
public sealed record CreditModeChange(CreditMode Mode, Instant At, long CreditWh);
