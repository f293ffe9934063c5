namespace Prepay.Meter.Keypad;

/// <summary>How a token reached the meter's STS decoder: typed at the keypad, or delivered by the head-end.</summary>
public enum TokenSource
{
    Keypad,
    Remote,
}
