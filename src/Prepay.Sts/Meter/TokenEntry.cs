using Prepay.Sts.Tokens;

namespace Prepay.Sts.Meter;

/// <summary>The outcome of keying in one token: the keypad result, the decoded data if it decoded, and why.</summary>
public readonly record struct TokenEntry(KeypadResult Result, TokenData? Data, string Reason)
{
    /// <summary>True when this entry completed a key change and the meter now uses the new key.</summary>
    public bool KeyChanged { get; init; }
}
