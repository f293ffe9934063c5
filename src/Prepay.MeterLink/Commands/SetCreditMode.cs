using NodaTime;
using Prepay.Domain.Energy;

namespace Prepay.MeterLink.Commands;

/// <summary>Where a meter keeps the customer's credit: in its own register, or on the server.</summary>
public enum CreditMode
{
    /// <summary>The meter counts its credit register down and cuts supply at zero by its own rules.</summary>
    Meter,

    /// <summary>The server holds the balance: the meter counts nothing down and is connected or disconnected by the server.</summary>
    Central,
}

/// <summary>
/// Moves where a meter keeps the customer's credit (issue 14, item 1). The meter makes the change at the first boundary of
/// its 15-minute reading interval at or after both <see cref="From"/> and its arrival, so that every interval is paid
/// for in one place only: every reading up to that boundary was counted down in the meter, every one after is priced on
/// the server. There it reports what it handed over or took on in an event (<c>creditHandedOver</c> with the register it
/// gave up; <c>creditTakenOver</c> with the credit it starts from), which the server books. <see cref="Credit"/> is the
/// credit a meter going back to <see cref="CreditMode.Meter"/> starts from (zero for <see cref="CreditMode.Central"/>).
/// The newest wins: an older one arriving late is superseded.
/// </summary>
public sealed record SetCreditMode(CreditMode Mode, Instant From, Energy Credit) : MeterCommand;
