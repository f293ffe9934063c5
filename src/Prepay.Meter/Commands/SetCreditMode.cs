using NodaTime;
using Prepay.Meter.Credit;

namespace Prepay.Meter.Commands;

/// <summary>
/// Moves where the customer's credit is held (the head-end's <c>setCreditMode</c>). Acknowledged at once; the change
/// itself waits for the first 15-minute reading boundary at or after <paramref name="From"/> and after the meter's
/// clock, so that every interval is paid for in one place only. <paramref name="CreditWh"/> is what a meter going back
/// to <see cref="CreditMode.Meter"/> starts from (≥ 0; 0 for <see cref="CreditMode.Central"/>). The newest wins: it
/// replaces a change still pending, and an older one arriving late is superseded.
/// </summary>
public sealed record SetCreditMode(long CommandId, CreditMode Mode, Instant From, long CreditWh) : MeterCommand(CommandId);
