using NodaTime;
using Prepay.Sts.Meter;

namespace Prepay.Meter.Events;

/// <summary>A keyed-in token was refused with what the keypad shows (Reject, Used, Old, KeyExpired, Overflow).</summary>
public sealed record TokenRejected(Instant At, KeypadResult Result, string Reason) : MeterOutput(At);
