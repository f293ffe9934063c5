using Prepay.Sts.Meter;

namespace Prepay.Meter.Keypad;

/// <summary>The decoder's verdict on a token and, when accepted, the action for the meter.</summary>
internal readonly record struct KeypadEntry(TokenEntry Token, KeypadAction Action, long Value);
