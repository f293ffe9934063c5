namespace Prepay.Sts.Meter;

/// <summary>What the meter shows after a token is keyed in. IEC 62055-41 §8 (token acceptance) and IEC 62055-51.</summary>
public enum KeypadResult
{
    /// <summary>Accepted and applied.</summary>
    Accept,

    /// <summary>Not a token for this meter: bad format, out of range, wrong key, bad CRC, reserved class/subclass.</summary>
    Reject,

    /// <summary>Its TID is in the meter's memory: already used.</summary>
    Used,

    /// <summary>Its TID is older than every TID the full memory holds.</summary>
    Old,

    /// <summary>Its TID lies after the decoder key's expiry (KEN).</summary>
    KeyExpired,

    /// <summary>Applying it would overflow the credit register; nothing was applied.</summary>
    Overflow,
}
