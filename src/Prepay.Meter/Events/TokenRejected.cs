using NodaTime;
using Prepay.Meter.Keypad;
using Prepay.Sts.Meter;

namespace Prepay.Meter.Events;

/// <summary>A token was refused with what the keypad shows (Reject, Used, Old, KeyExpired, Overflow); <paramref name="Via"/> as for <see cref="TokenAccepted"/>.</summary>
public sealed record TokenRejected(Instant At, KeypadResult Result, string Reason, TokenSource Via = TokenSource.Keypad) : MeterOutput(At);
