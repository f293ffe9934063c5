namespace Prepay.Meter.Commands;

/// <summary>What the meter made of a <see cref="SealedCommand"/> before acting on it (<see cref="PrepaidMeter.Authenticate"/>).</summary>
public enum CommandVerdict
{
    /// <summary>Genuine and newer than anything accepted before: act on it (its sequence number is now the last accepted).</summary>
    Fresh,

    /// <summary>Genuine, and the very command accepted last (a resend after a lost acknowledgement): answer it as a duplicate.</summary>
    Repeat,

    /// <summary>No MAC: refused without an answer.</summary>
    Unsigned,

    /// <summary>A MAC that is not the head-end's (or no key to check it with): refused without an answer, so a forger learns nothing.</summary>
    Forged,

    /// <summary>Genuine but older than the last accepted: a replay or a late copy. Refused, answered as rejected.</summary>
    Replayed,

    /// <summary>Genuine but past its expiry by the meter's clock. Refused, answered as rejected.</summary>
    Expired,

    /// <summary>The meter is in a power outage and hears nothing; nothing is remembered.</summary>
    Unheard,
}
