namespace Prepay.Meter.Registers;

/// <summary>Why the relay is open; it closes only when no reason is left.</summary>
[Flags]
public enum DisconnectReasons
{
    /// <summary>Connected.</summary>
    None = 0,

    /// <summary>Credit at or below zero outside friendly hours (or past the friendly debt limit).</summary>
    CreditExhausted = 1,

    /// <summary>A remote Disconnect command; only a Connect command lifts it.</summary>
    RemoteCommand = 2,

    /// <summary>Cover open or magnetic tamper, latched until cleared.</summary>
    Tamper = 4,

    /// <summary>Load above the maximum power limit; the meter retries after a delay.</summary>
    Overload = 8,

    /// <summary>Credit is back but the customer must press the button to reconnect.</summary>
    AwaitingButtonPress = 16,
}
