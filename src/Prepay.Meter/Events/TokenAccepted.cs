using NodaTime;
using Prepay.Meter.Keypad;

namespace Prepay.Meter.Events;

/// <summary>
/// A token was accepted; <paramref name="CreditAddedWh"/> is what reached the credit register (after emergency
/// repayment); <paramref name="Via"/> says whether it was typed or delivered by the head-end.
/// </summary>
public sealed record TokenAccepted(Instant At, string Description, long TokenWh, long CreditAddedWh, TokenSource Via = TokenSource.Keypad) : MeterOutput(At);
