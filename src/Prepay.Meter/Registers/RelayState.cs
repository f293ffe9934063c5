namespace Prepay.Meter.Registers;

/// <summary>The supply relay.</summary>
public enum RelayState
{
    /// <summary>Closed: the customer has supply.</summary>
    Connected,

    /// <summary>Open: no supply.</summary>
    Disconnected,
}
